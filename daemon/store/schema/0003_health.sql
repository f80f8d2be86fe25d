-- Each message's health, read once at sync time instead of every cycle:
-- green, amber, red or unknown, and the bad-news phrases that said so.
-- '' for rows stored by an older leadup: computed from visible on read.
ALTER TABLE messages ADD COLUMN health TEXT NOT NULL DEFAULT '';
ALTER TABLE messages ADD COLUMN bad_words TEXT NOT NULL DEFAULT ''; -- comma-separated
