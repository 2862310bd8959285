-- Kernel for records that move through states against deadlines: rule sets pinned on each record, and deadline
-- alerts sent once per threshold and due instant (for every record type, not one module's column).

-- A record type's rules in force from a date, with the legal basis of each rule. Rows are not edited: new rules are
-- a new row from their effective date (the previous row gets its valid_to), and records keep the id they started
-- under.
CREATE TABLE rule_sets (
  id          uuid PRIMARY KEY DEFAULT gen_random_uuid(),
  record_type text NOT NULL,
  name        text NOT NULL,
  legal_basis text NOT NULL,
  basis       jsonb NOT NULL DEFAULT '{}',            -- per rule: where it comes from
  rules       jsonb NOT NULL,
  valid_from  date NOT NULL,
  valid_to    date,
  created_at  timestamptz NOT NULL DEFAULT now(),
  CHECK (valid_to IS NULL OR valid_to > valid_from),
  UNIQUE (record_type, valid_from)
);

CREATE FUNCTION rule_sets_forbid_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'DELETE' OR NEW.rules IS DISTINCT FROM OLD.rules OR NEW.valid_from IS DISTINCT FROM OLD.valid_from
     OR NEW.record_type IS DISTINCT FROM OLD.record_type THEN
    RAISE EXCEPTION 'rule sets are not edited: add a new set from its effective date';
  END IF;
  RETURN NEW;
END;
$$;
CREATE TRIGGER rule_sets_immutable BEFORE UPDATE OR DELETE ON rule_sets FOR EACH ROW EXECUTE FUNCTION rule_sets_forbid_change();

-- The one-stop rules. The values did not change with NĐ 118/2025, which keeps NĐ 61/2018's structure (reference/
-- regulations.md §0.1, §1.3); the article numbers under NĐ 118/2025 other than Art. 15, 17, 18, 21, 22 and 24 are
-- carried over from NĐ 61/2018 until checked against the decree's text.
INSERT INTO rule_sets (record_type, name, legal_basis, basis, rules, valid_from, valid_to) VALUES
('dossier', 'Một cửa theo QĐ 09/2015/QĐ-TTg (trước NĐ 61/2018)', 'QĐ 09/2015/QĐ-TTg',
 '{"alertWorkingDays": "QĐ 09/2015/QĐ-TTg", "maxExtensions": "QĐ 09/2015/QĐ-TTg", "supplementOncePerStage": "QĐ 09/2015/QĐ-TTg", "minReasonLength": "CQS: lý do phải đọc được trên phiếu", "minFeeVnd": "CQS: chặn nhập nhầm số tiền"}',
 '{"alertWorkingDays": 2, "maxExtensions": 1, "supplementOncePerStage": true, "minReasonLength": 10, "minFeeVnd": 1000}',
 '2000-01-01', '2018-04-21'),
('dossier', 'Một cửa theo NĐ 61/2018/NĐ-CP, NĐ 107/2021/NĐ-CP', 'NĐ 61/2018/NĐ-CP; NĐ 107/2021/NĐ-CP; TT 01/2018/TT-VPCP',
 '{"alertWorkingDays": "NĐ 61/2018 Điều 19 khoản 9 (chậm nhất 01 ngày trước hạn)", "maxExtensions": "NĐ 61/2018 Điều 19 khoản 9 (hẹn lại một lần)", "supplementOncePerStage": "NĐ 61/2018 Điều 17; Điều 19 khoản 4 (sửa đổi bởi NĐ 107/2021)", "minReasonLength": "CQS: lý do phải đọc được trên phiếu", "minFeeVnd": "CQS: chặn nhập nhầm số tiền"}',
 '{"alertWorkingDays": 2, "maxExtensions": 1, "supplementOncePerStage": true, "minReasonLength": 10, "minFeeVnd": 1000}',
 '2018-04-21', '2025-07-01'),
('dossier', 'Một cửa theo NĐ 118/2025/NĐ-CP', 'NĐ 118/2025/NĐ-CP (sửa đổi bởi NĐ 367/2025/NĐ-CP); TT 03/2025/TT-VPCP',
 '{"alertWorkingDays": "NĐ 118/2025 (quy định như NĐ 61/2018 Điều 19 khoản 9: chậm nhất 01 ngày trước hạn) — số điều cần đối chiếu", "maxExtensions": "NĐ 118/2025 (như NĐ 61/2018 Điều 19 khoản 9: hẹn lại một lần); TT 03/2025 Mẫu 04", "supplementOncePerStage": "NĐ 118/2025 Điều 17 (tiếp nhận); sau thẩm định như NĐ 61/2018 Điều 19 khoản 4", "minReasonLength": "CQS: lý do phải đọc được trên phiếu (TT 03/2025 Mẫu 02, 03, 05)", "minFeeVnd": "CQS: chặn nhập nhầm số tiền (NĐ 118/2025 Điều 24)"}',
 '{"alertWorkingDays": 2, "maxExtensions": 1, "supplementOncePerStage": true, "minReasonLength": 10, "minFeeVnd": 1000}',
 '2025-07-01', NULL);

ALTER TABLE dossiers ADD COLUMN rule_set_id uuid REFERENCES rule_sets(id);
UPDATE dossiers d SET rule_set_id = r.id
FROM rule_sets r
WHERE r.record_type = 'dossier'
  AND r.valid_from <= ((d.submitted_at AT TIME ZONE 'UTC') + interval '7 hours')::date
  AND (r.valid_to IS NULL OR r.valid_to > ((d.submitted_at AT TIME ZONE 'UTC') + interval '7 hours')::date);
ALTER TABLE dossiers ALTER COLUMN rule_set_id SET NOT NULL;

-- Alerts sent, once per record, threshold and due instant: a new due instant (an extension, a restarted clock) is
-- alerted again.
CREATE TABLE deadline_alerts (
  record_type text NOT NULL,
  record_id   uuid NOT NULL,
  threshold   text NOT NULL,
  due_at      timestamptz NOT NULL,
  sent_at     timestamptz NOT NULL,
  PRIMARY KEY (record_type, record_id, threshold, due_at)
);
INSERT INTO deadline_alerts (record_type, record_id, threshold, due_at, sent_at)
SELECT 'dossier', id, 'due_soon', due_alert_for, updated_at FROM dossiers WHERE due_alert_for IS NOT NULL;
ALTER TABLE dossiers DROP COLUMN due_alert_for;

-- How many new dates a dossier was given (Mẫu 04), checked against its rules; replaces the one-time flag.
ALTER TABLE dossiers ADD COLUMN extensions smallint NOT NULL DEFAULT 0;
UPDATE dossiers SET extensions = 1 WHERE extended;
ALTER TABLE dossiers DROP COLUMN extended;
