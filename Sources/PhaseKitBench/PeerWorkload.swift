import Foundation

/// The workload of the peer benchmarks (row 9, issue 29): per host a directory `ROOT/data`
/// with `files` desired files of 1 KiB whose content differs per host and file. The starting
/// state has half of them right, a quarter with the wrong content, a quarter missing, and
/// `stale` (30 per 200 desired) files that must be removed. Every tool is told the same
/// desired state: these files with these contents, these stale names absent.
struct PeerWorkload {
    let files: Int
    let hosts: Int
    var right: Int { files / 2 }
    var wrong: Int { files / 4 }
    var missing: Int { files - right - wrong }
    var stale: Int { max(1, files * 30 / 200) }
    /// Writes and removals a correct apply makes on all hosts.
    var changes: Int { hosts * (wrong + missing + stale) }

    static func name(_ index: Int) -> String { String(format: "f%05d.txt", index) }
    static func staleName(_ index: Int) -> String { String(format: "stale%05d.txt", index) }
    /// The desired content: `host<h> file<i>;` (16 bytes for up to 9 hosts) 64 times, no newline.
    /// Every tool builds it the same way (Lua, Python, Jinja).
    static func content(host: Int, index: Int) -> String {
        String(repeating: String(format: "host%d file%05d;", host, index), count: 64)
    }
    static func wrongContent(host: Int, index: Int) -> String {
        String(repeating: String(format: "old%d  file%05d;", host, index), count: 64)
    }

    /// The files of the desired set that differ at the start (wrong or missing), per host.
    var differing: Range<Int> { right..<files }

    /// Puts every host's data directory in the starting state (the hosts are this machine).
    func reset(roots: [String]) throws {
        for (offset, root) in roots.enumerated() {
            let data = root + "/data"
            if FileManager.default.fileExists(atPath: data) { try FileManager.default.removeItem(atPath: data) }
            try FileManager.default.createDirectory(atPath: data, withIntermediateDirectories: true)
            let host = offset + 1
            for index in 0..<right {
                try Self.content(host: host, index: index).write(toFile: data + "/" + Self.name(index), atomically: false, encoding: .utf8)
            }
            for index in right..<(right + wrong) {
                try Self.wrongContent(host: host, index: index).write(toFile: data + "/" + Self.name(index), atomically: false, encoding: .utf8)
            }
            for index in 0..<stale {
                try "stale\n".write(toFile: data + "/" + Self.staleName(index), atomically: false, encoding: .utf8)
            }
        }
    }

    /// How far the hosts are from the desired state: nil when every host holds exactly the
    /// desired files with their contents and nothing else, else what differs.
    func difference(roots: [String]) -> String? {
        var problems: [String] = []
        for (offset, root) in roots.enumerated() {
            let counts = hostCounts(root: root, host: offset + 1)
            if counts.wrong + counts.missing + counts.extra > 0 {
                problems.append("peer\(offset + 1): \(counts.wrong) wrong, \(counts.missing) missing, \(counts.extra) not desired")
            }
        }
        return problems.isEmpty ? nil : problems.joined(separator: "; ")
    }

    /// One host's files against the desired set.
    func hostCounts(root: String, host: Int) -> (right: Int, wrong: Int, missing: Int, extra: Int) {
        let data = root + "/data"
        // A host whose directory cannot be listed counts every desired file as missing.
        let names = Set((try? FileManager.default.contentsOfDirectory(atPath: data)) ?? [])
        var right = 0, wrong = 0, missing = 0
        for index in 0..<files {
            let name = Self.name(index)
            guard names.contains(name) else { missing += 1; continue }
            // A file that cannot be read is not right.
            let text = try? String(contentsOfFile: data + "/" + name, encoding: .utf8)
            if text == Self.content(host: host, index: index) { right += 1 } else { wrong += 1 }
        }
        let desired = Set((0..<files).map(Self.name))
        return (right, wrong, missing, names.subtracting(desired).count)
    }

    /// The phasekit script: per server, one listing, a read of each desired file present, a
    /// write of each that differs or is missing, a removal of each stale file present.
    func phasekitScript() -> String {
        """
        -- Row 9 of make bench (issue 29): bring peer1..peer\(hosts) to the desired files.
        local count, stale = \(files), \(stale)
        for host = 1, \(hosts) do
          local f = files.on("peer" .. host)
          local present = {}
          for _, name in ipairs(f.list("data")) do present[name] = true end
          for index = 0, count - 1 do
            local name = string.format("data/f%05d.txt", index)
            local want = string.rep(string.format("host%d file%05d;", host, index), 64)
            if not present[name:sub(6)] or f.read(name) ~= want then f.write(name, want) end
          end
          for index = 0, stale - 1 do
            local name = string.format("stale%05d.txt", index)
            if present[name] then f.remove("data/" .. name) end
          end
        end

        """
    }

    /// The pyinfra deploy: `files.put` of each desired file, `files.file(present=False)` of each stale one.
    func pyinfraDeploy() -> String {
        """
        # Row 9 of make bench (issue 29).
        from io import StringIO
        from pyinfra import host
        from pyinfra.operations import files

        data = host.data.root + "/data"
        for index in range(\(files)):
            content = ("host%d file%05d;" % (host.data.index, index)) * 64
            files.put(name="f%05d" % index, src=StringIO(content), dest="%s/f%05d.txt" % (data, index))
        for index in range(\(stale)):
            files.file(name="stale%05d" % index, path="%s/stale%05d.txt" % (data, index), present=False)

        """
    }

    /// The Ansible playbook: `copy` with `content` per desired file, `file state=absent` per stale one.
    func ansiblePlaybook() -> String {
        """
        # Row 9 of make bench (issue 29).
        - hosts: all
          gather_facts: false
          tasks:
            - name: desired files
              copy:
                dest: "{{ root }}/data/f{{ '%05d' | format(item) }}.txt"
                content: "{{ ('host%d file%05d;' | format(index, item)) * 64 }}"
              loop: "{{ range(0, \(files)) | list }}"
              loop_control: { label: "{{ item }}" }
            - name: stale files
              file:
                path: "{{ root }}/data/stale{{ '%05d' | format(item) }}.txt"
                state: absent
              loop: "{{ range(0, \(stale)) | list }}"
              loop_control: { label: "{{ item }}" }

        """
    }
}
