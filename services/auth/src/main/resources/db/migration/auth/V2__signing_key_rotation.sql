-- Signing-key rotation: every key auth signs or verifies with, one row each. A key signs from
-- activates_at on (a rotated-in key is published in the JWKS before it signs, so every replica and
-- verifier knows it first); the key it replaced keeps verifying until retires_at (its tokens' lifetime).
ALTER TABLE signing_keys DROP COLUMN slot;
ALTER TABLE signing_keys ADD PRIMARY KEY (kid);
ALTER TABLE signing_keys ADD COLUMN activates_at timestamptz;
UPDATE signing_keys SET activates_at = created_at;
ALTER TABLE signing_keys ALTER COLUMN activates_at SET NOT NULL;
ALTER TABLE signing_keys ADD COLUMN retires_at timestamptz;
