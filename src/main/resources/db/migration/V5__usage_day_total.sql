-- Each UTC day's request count and cost, kept with the records: added to in the transaction that
-- inserts them. The spending limit re-reads its cycle's spend every few seconds on every replica;
-- summed over usage_record, that read grew with every request (1.4 s for 518,000 records on H2)
-- and held up every start. Over these rows it reads at most 31.
CREATE TABLE usage_day_total (
    usage_day DATE           NOT NULL PRIMARY KEY,
    requests  BIGINT         NOT NULL,
    cost      NUMERIC(30, 10) NOT NULL
);
INSERT INTO usage_day_total (usage_day, requests, cost)
    SELECT usage_day, COUNT(*), SUM(cost) FROM usage_record GROUP BY usage_day;
