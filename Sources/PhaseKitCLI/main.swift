print("phasekit")
