-- What a deployment was before the in-place migration under way (provisioning_state 'Updating'):
-- a migration that fails puts it back, also when the replica that started it has stopped and
-- another one finishes it at its start. Empty when no migration is under way.
ALTER TABLE deployment ADD COLUMN previous_sku_name VARCHAR(64);
ALTER TABLE deployment ADD COLUMN previous_capacity INTEGER;
ALTER TABLE deployment ADD COLUMN previous_model_format VARCHAR(128);
ALTER TABLE deployment ADD COLUMN previous_model_name VARCHAR(128);
ALTER TABLE deployment ADD COLUMN previous_model_version VARCHAR(64);
ALTER TABLE deployment ADD COLUMN previous_version_upgrade_option VARCHAR(40);
ALTER TABLE deployment ADD COLUMN previous_source VARCHAR(16);
