"""Resumes: text from an uploaded PDF, DOCX or text file, and the open jobs that fit it."""
