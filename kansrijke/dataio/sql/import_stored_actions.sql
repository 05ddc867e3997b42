-- Every stored action of one coalition, all columns as stored (the import compares the upload with them).
SELECT * FROM actions WHERE coalition_id = $coalition_id
