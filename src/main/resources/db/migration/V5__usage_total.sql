-- The ledger's totals per UTC day and per everything a usage report can group by, added to in the
-- transaction that inserts the records. Reports and the spending limit read these instead of
-- summing usage_record: that sum grew with every request (1.4 s for 518,000 records on H2), ran
-- at every start and, with a spending limit set, every few seconds on every replica; a report
-- over a month of a busy service would run for minutes.
CREATE TABLE usage_total (
    usage_day         DATE           NOT NULL,
    deployment        VARCHAR(255)   NOT NULL,
    model             VARCHAR(128)   NOT NULL,
    model_version     VARCHAR(64)    NOT NULL,
    key_id            VARCHAR(64)    NOT NULL,
    outcome           VARCHAR(16)    NOT NULL,
    status            INTEGER        NOT NULL,
    requests          BIGINT         NOT NULL,
    prompt_tokens     BIGINT         NOT NULL,
    completion_tokens BIGINT         NOT NULL,
    cost              NUMERIC(30, 10) NOT NULL,
    PRIMARY KEY (usage_day, deployment, model, model_version, key_id, outcome, status)
);
INSERT INTO usage_total (usage_day, deployment, model, model_version, key_id, outcome, status,
                         requests, prompt_tokens, completion_tokens, cost)
    SELECT usage_day, deployment, model, model_version, key_id, outcome, status,
           COUNT(*), SUM(prompt_tokens), SUM(completion_tokens), SUM(cost)
    FROM usage_record
    GROUP BY usage_day, deployment, model, model_version, key_id, outcome, status;
