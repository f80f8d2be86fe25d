-- Facts about this leadup instance, such as when it first ran (a digest
-- slot before that was never missed: leadup was not there yet).
CREATE TABLE meta (
	key   TEXT PRIMARY KEY,
	value TEXT NOT NULL
);
