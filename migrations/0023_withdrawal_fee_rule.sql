-- What happens to fees already paid when the applicant withdraws a dossier. reference/regulations.md (§1.3 item 9,
-- NĐ 118/2025 Art. 21; item 10, Art. 24) says nothing on refunds, so the rule is stated here as a rule-set item with
-- its basis marked as not verified: fees are paid once processing started (they are asked for during processing),
-- and what was paid for work already done is not refunded. A province that decides otherwise adds a new set.
-- Rule sets are never edited: the current one-stop set ends where the new one (the same rules plus this item) starts.
INSERT INTO rule_sets (record_type, name, legal_basis, basis, rules, valid_from, valid_to)
SELECT record_type,
       'Một cửa theo NĐ 118/2025/NĐ-CP (bổ sung quy tắc về phí khi rút hồ sơ)',
       legal_basis,
       basis || jsonb_build_object('paidFeeOnWithdrawal',
         'CQS, chưa đối chiếu văn bản [R]: tài liệu quy định tham chiếu (NĐ 118/2025 Điều 21, 24) không nêu việc hoàn trả phí, lệ phí khi rút hồ sơ; tỉnh cần xác nhận theo Luật Phí và lệ phí 2015 và nghị quyết thu phí của HĐND tỉnh'),
       rules || jsonb_build_object('paidFeeOnWithdrawal',
         'Phí, lệ phí đã nộp không được hoàn trả khi người nộp rút hồ sơ sau khi hồ sơ đã được tiếp nhận và chuyển xử lý.'),
       DATE '2026-12-01',
       NULL
FROM rule_sets
WHERE record_type = 'dossier' AND valid_to IS NULL AND valid_from < DATE '2026-12-01';
UPDATE rule_sets SET valid_to = DATE '2026-12-01'
WHERE record_type = 'dossier' AND valid_to IS NULL AND valid_from < DATE '2026-12-01';
