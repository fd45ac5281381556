-- attack: INSERT OR ROLLBACK ends the analysis transaction, so later writes could autocommit
-- analyze: changes
pcall(db.exec, "INSERT OR ROLLBACK INTO addresses VALUES ('10.0.0.1', 'dup')")
db.exec("DELETE FROM secrets")
pcall(db.value, "INSERT OR ROLLBACK INTO addresses VALUES ('10.0.0.2', 'dup') RETURNING ip")
db.value("DELETE FROM addresses RETURNING ip")
