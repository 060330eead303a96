"""The Đánh giá page: the annual review (kiểm điểm, đánh giá, xếp loại chất lượng) of each member and of the cell."""
