"""templates_out"""
