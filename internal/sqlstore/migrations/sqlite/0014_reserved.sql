-- Placeholder: number 0014 belongs to another branch; this file goes
-- when that branch is merged (the numbers must have no gap).
SELECT 1;
