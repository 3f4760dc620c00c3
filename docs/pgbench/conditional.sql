INSERT INTO locks AS l (id, service, environment, resource, who, event_id, created_at, expires_at, token, owner, holder_limit, holder_mode, granted_expires_at)
VALUES (gen_random_uuid(), 'pgb-' || :client_id, 'e', '', 'w', NULL, CURRENT_TIMESTAMP, NULL, nextval('lock_tokens'), NULL, 1, 'exclusive', NULL)
ON CONFLICT (service, environment, resource, place) DO UPDATE
  SET id = EXCLUDED.id, who = EXCLUDED.who, event_id = EXCLUDED.event_id, created_at = EXCLUDED.created_at,
      expires_at = EXCLUDED.expires_at, granted_expires_at = EXCLUDED.expires_at,
      token = nextval('lock_tokens'), released_at = NULL,
      owner = EXCLUDED.owner, holder_limit = EXCLUDED.holder_limit, holder_mode = EXCLUDED.holder_mode,
      others_until = EXCLUDED.others_until, end_reason = NULL, ended_by = NULL, replaced_lapsed = (l.released_at IS NULL)
  WHERE (l.released_at IS NOT NULL OR l.expires_at <= CURRENT_TIMESTAMP) AND (l.others_until IS NULL OR l.others_until <= CURRENT_TIMESTAMP)
RETURNING id \gset
WITH released AS (UPDATE locks SET released_at = CURRENT_TIMESTAMP, end_reason = 'released' WHERE id = :id AND released_at IS NULL AND (expires_at IS NULL OR expires_at > CURRENT_TIMESTAMP)
  RETURNING id, service, environment, resource, who, event_id, created_at, expires_at, token, owner, holder_limit, holder_mode)
SELECT released.*, tracker_announce_release(released.service, released.environment, released.resource) FROM released;
