import os

# progress bars off for the tests and for every kernel they start (nbval, papermill)
os.environ["MBL_OPEN_NO_PROGRESS"] = "1"
