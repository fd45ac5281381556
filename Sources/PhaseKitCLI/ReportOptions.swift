import ArgumentParser

/// How much of each change a human report shows; shared by the commands that print reports.
struct ReportOptions: ParsableArguments {
    @Flag(name: .long, help: "Also show each change's raw binding call and the script's file:line.")
    var verbose = false
}
