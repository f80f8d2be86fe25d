-- SaveMessages, the one writer of messages rows, adds each batch's new
-- rows to message_counts in one statement: a trigger doing it a row at a
-- time cost two statements for every message of a first sync. Deletes
-- and moves keep their triggers.
DROP TRIGGER IF EXISTS message_counts_insert;
DROP INDEX IF EXISTS messages_in_reply_to;
