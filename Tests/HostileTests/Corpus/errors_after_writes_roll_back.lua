-- attack: write through every binding, then fail: execution must roll back the step's database writes; files, volumes and services must not have been reached in analysis
-- analyze: error runtime
db.exec("DELETE FROM addresses")
volumes.delete("lv_data")
files.remove("conf/app.conf")
services.stop("db")
error("fail after writing")
