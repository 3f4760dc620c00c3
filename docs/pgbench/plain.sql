INSERT INTO plain_locks (k) VALUES ('pgb-' || :client_id);
DELETE FROM plain_locks WHERE k = 'pgb-' || :client_id;
