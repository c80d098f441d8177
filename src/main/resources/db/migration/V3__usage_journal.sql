-- Usage records now reach the database from a journal file (one batch a second), exactly once
-- through the offsets below. The request id stays, but unique no more: a duplicate must not stop
-- every later batch, and the index cost time on every insert. The table is rebuilt rather than
-- its constraint dropped, because the constraint's name differs between H2 and PostgreSQL.
CREATE TABLE usage_entry (
    request_id        VARCHAR(64)    NOT NULL,
    occurred_at       TIMESTAMP WITH TIME ZONE NOT NULL,
    usage_day         DATE           NOT NULL,
    key_id            VARCHAR(64)    NOT NULL,
    deployment        VARCHAR(255)   NOT NULL,
    model             VARCHAR(128)   NOT NULL,
    model_version     VARCHAR(64)    NOT NULL,
    prompt_tokens     BIGINT         NOT NULL,
    completion_tokens BIGINT         NOT NULL,
    cost              NUMERIC(24, 10) NOT NULL,
    status            INTEGER        NOT NULL,
    outcome           VARCHAR(16)    NOT NULL
);
INSERT INTO usage_entry (request_id, occurred_at, usage_day, key_id, deployment, model, model_version,
                         prompt_tokens, completion_tokens, cost, status, outcome)
    SELECT request_id, occurred_at, usage_day, key_id, deployment, model, model_version,
           prompt_tokens, completion_tokens, cost, status, outcome
    FROM usage_record;
DROP TABLE usage_record;
ALTER TABLE usage_entry RENAME TO usage_record;
CREATE INDEX usage_record_by_time ON usage_record (occurred_at);

-- How far each journal segment has been moved into usage_record, committed with the records.
CREATE TABLE usage_journal (
    segment VARCHAR(128) NOT NULL PRIMARY KEY,
    moved   BIGINT       NOT NULL
);
