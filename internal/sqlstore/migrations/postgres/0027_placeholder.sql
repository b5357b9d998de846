-- Placeholder so that this branch's migration numbers run on: 0027 belongs to
-- another branch. Drop this file when merging that branch.
SELECT 1;
