"""The Báo cáo, gửi cấp trên page: the statistics forms of a period, their files, and the package sent upward."""
