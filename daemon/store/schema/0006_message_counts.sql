-- How many messages each folder kind and project holds, kept by triggers,
-- so `status` counts a label of 50,000 messages in one row instead of
-- 50,000 index entries. Made afresh from the messages (dropped first if
-- a half-restored database still has them).
DROP TRIGGER IF EXISTS message_counts_insert;
DROP TRIGGER IF EXISTS message_counts_delete;
DROP TRIGGER IF EXISTS message_counts_update;
DROP TABLE IF EXISTS message_counts;
CREATE TABLE message_counts (
	kind    TEXT    NOT NULL,
	project TEXT    NOT NULL,
	n       INTEGER NOT NULL,
	PRIMARY KEY (kind, project)
);
INSERT INTO message_counts (kind, project, n) SELECT kind, project, count(*) FROM messages GROUP BY kind, project;
CREATE TRIGGER message_counts_insert AFTER INSERT ON messages BEGIN
	INSERT OR IGNORE INTO message_counts (kind, project, n) VALUES (NEW.kind, NEW.project, 0);
	UPDATE message_counts SET n = n + 1 WHERE kind = NEW.kind AND project = NEW.project;
END;
CREATE TRIGGER message_counts_delete AFTER DELETE ON messages BEGIN
	UPDATE message_counts SET n = n - 1 WHERE kind = OLD.kind AND project = OLD.project;
END;
CREATE TRIGGER message_counts_update AFTER UPDATE OF kind, project ON messages BEGIN
	UPDATE message_counts SET n = n - 1 WHERE kind = OLD.kind AND project = OLD.project;
	INSERT OR IGNORE INTO message_counts (kind, project, n) VALUES (NEW.kind, NEW.project, 0);
	UPDATE message_counts SET n = n + 1 WHERE kind = NEW.kind AND project = NEW.project;
END;
