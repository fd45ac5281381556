-- A module the poisoning scripts and the witness `require`: each step must load it afresh.
loads_of_witness_probe = (rawget(_G, "loads_of_witness_probe") or 0) + 1
return { value = "pristine", loads = loads_of_witness_probe }
