"""Đảng phí: the month grid, its dialogs and the fee book buttons."""
