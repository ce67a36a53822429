-- Council items' materials are published like their agenda: the audience "public" (nobody signed
-- in) may read each item's documents space. New items get the grant when their space is made;
-- this gives it to those made before.
INSERT INTO doc_grants (node_id, node_path, audience, access, implicit, created_at)
SELECT n.id, n.path, 'public', 'view', 1, n.created_at
FROM doc_spaces s JOIN doc_nodes n ON n.id = s.root_id
WHERE s.kind = 'item'
  AND NOT EXISTS (SELECT 1 FROM doc_grants g WHERE g.node_id = n.id AND g.audience = 'public');
