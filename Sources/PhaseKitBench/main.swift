import CBenchBaseline

// Replaced by the benchmark harness.
print(cbench_raw_loop(1000))
