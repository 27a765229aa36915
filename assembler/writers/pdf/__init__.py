"""writers/pdf"""
