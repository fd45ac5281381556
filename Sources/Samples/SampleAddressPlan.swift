/// Which addresses of the sample site exist, which are in use now, and which the backup knew.
///
/// Address `k` (0-based) is `10.(20 + k / 64000).((k / 250) % 256).(k % 250 + 1)` in pool
/// `pool-NNNN` (.1 to .250 of one /24; .254 is the gateway). In-use address number `i` is
/// `k = i * stride`; two in five of them (`i % 5 >= 3`) were allocated after the backup and are
/// free in the restored database. Six more (`k = i * stride + 1`) belonged to the two services
/// deleted after the backup: allocated in the database, released in the world.
struct SampleAddressPlan {
    var total: Int
    var inUse: Int
    /// Services that held addresses before the backup and still exist.
    var servicesBeforeBackup: [String]
    /// Services that hold addresses now.
    var servicesNow: [String]
    /// Services deleted after the backup, whose addresses the world released.
    var deletedServices: [String]

    init(total: Int, inUse: Int, services: [SampleData.IOService]) {
        self.total = total
        self.inUse = inUse
        servicesBeforeBackup = services.filter { $0.inBackup && $0.live }.map(\.id)
        servicesNow = services.filter(\.live).map(\.id)
        deletedServices = services.filter { !$0.live }.map(\.id)
    }

    /// Distance between two in-use addresses (at least 2, so `i * stride + 1` is never in use).
    var stride: Int { total / inUse }

    /// The dotted address of index `k`.
    static func address(_ k: Int) -> String {
        "10.\(20 + k / (250 * 256)).\((k / 250) % 256).\(k % 250 + 1)"
    }

    /// The pool id of index `k`.
    static func pool(_ k: Int) -> String {
        "pool-" + padded(k / 250 + 1, 4)
    }

    static func padded(_ value: Int, _ width: Int) -> String {
        let digits = String(value)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }

    /// One address in use now.
    struct Use {
        var index: Int
        var service: String
        var allocatedAt: String
        var afterBackup: Bool
    }

    /// The `i`-th address in use now.
    func use(_ i: Int) -> Use {
        let afterBackup = i % 5 >= 3
        if afterBackup {
            let services = servicesNow
            let stamp = "2026-03-\(Self.padded(14 + i % 2, 2))T\(Self.padded(3 + i % 20, 2)):\(Self.padded(i % 60, 2)):00Z"
            return Use(index: i * stride, service: services[i % services.count], allocatedAt: stamp, afterBackup: true)
        }
        let services = servicesBeforeBackup
        let stamp = "2026-0\(1 + i % 2)-\(Self.padded(10 + i % 18, 2))T\(Self.padded(8 + i % 10, 2)):00:00Z"
        return Use(index: i * stride, service: services[i % services.count], allocatedAt: stamp, afterBackup: false)
    }

    /// Addresses the deleted services held at backup time: (index, service, allocated at).
    var releasedAfterBackup: [(index: Int, service: String, allocatedAt: String)] {
        (0..<6).map { i in
            (i * stride + 1, deletedServices[i % deletedServices.count], "2026-02-1\(i)T12:00:00Z")
        }
    }

    /// How many addresses the live inventory shows that the restored database has free.
    var allocatedAfterBackupCount: Int { (0..<inUse).filter { $0 % 5 >= 3 }.count }
}
