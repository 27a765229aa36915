"""onepage"""
