"""The Đảng viên page: the roster table, its filter and the dialogs that change a record."""
