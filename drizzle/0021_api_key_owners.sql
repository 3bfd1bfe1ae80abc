-- A key issued with another key names the user behind the first key (null: the operator's
-- tools), so that it works only while that user is active.
WITH RECURSIVE chain (id, owner, depth) AS (
  SELECT k.id, k.created_by, 0 FROM api_keys k
  WHERE k.created_by IN (SELECT id FROM api_keys)
  UNION ALL
  SELECT c.id, p.created_by, c.depth + 1 FROM chain c JOIN api_keys p ON p.id = c.owner
  WHERE c.depth < 100
)
UPDATE api_keys k SET created_by = f.owner
FROM (
  SELECT DISTINCT ON (id) id, owner FROM chain
  WHERE owner IS NULL OR owner NOT IN (SELECT id FROM api_keys)
  ORDER BY id, depth
) f
WHERE k.id = f.id;
