-- Fees are settled only by the payment gateway's verified callback or by a one-stop officer recording a counter
-- payment with its receipt number (số biên lai), never by the applicant's word. Each payment keeps how the amount
-- was set (from the procedure's fee table, by the officer where the table has none, or overriding the table with a
-- reason), who asked for it, and who recorded a counter payment: the plan target on online payment (dossiers paid
-- online ÷ fee-bearing dossiers) is recomputed from method and paid_at.
ALTER TABLE payments
  ADD COLUMN amount_source text NOT NULL DEFAULT 'officer' CHECK (amount_source IN ('fee_table', 'officer', 'override')),
  ADD COLUMN fee_table_vnd bigint[] NOT NULL DEFAULT '{}',
  ADD COLUMN override_reason text,
  ADD COLUMN requested_by uuid REFERENCES users(id),
  ADD COLUMN receipt_number text CHECK (length(receipt_number) BETWEEN 1 AND 50),
  ADD COLUMN recorded_by uuid REFERENCES users(id),
  ADD CONSTRAINT payments_override_reason CHECK (amount_source <> 'override' OR override_reason IS NOT NULL);
