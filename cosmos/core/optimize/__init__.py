"""Web optimization: remux or transcode to fast-start MP4."""
