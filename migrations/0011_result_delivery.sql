-- How the result reached the applicant (counter, online, public post) and the postal tracking number: the plan
-- target on postal use counts results sent by post as well as dossiers received by post.
ALTER TABLE dossiers
  ADD COLUMN result_delivery text CHECK (result_delivery IN ('counter', 'online', 'postal')),
  ADD COLUMN postal_tracking text;
