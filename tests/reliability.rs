//! Runs as a user on a fresh machine makes them: on the built-in sources from any directory,
//! with the contacts in another order, killed mid-way, and two at once into one `--out`.

mod common;

use std::path::Path;
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{data_dir, files_under, partylink_built_in, read_csv, repo, stderr, tempdir};

fn run_args<'a>(contacts: &'a str, out: &'a str) -> Vec<&'a str> {
    vec!["run", "--contacts", contacts, "--out", out, "--quiet", "--no-cache"]
}

/// Every output file of a run but the manifest (which holds the run's time), as bytes; not the
/// lock or staging files.
fn outputs(out: &Path) -> Vec<(String, Vec<u8>)> {
    files_under(out)
        .into_iter()
        // The manifest and report.html name the inputs by their paths, which differ by design.
        .filter(|f| f != "manifest.json" && f != "report.html" && !f.starts_with('.'))
        .map(|f| {
            let bytes = std::fs::read(out.join(&f)).unwrap();
            (f, bytes)
        })
        .collect()
}

/// With no `--data` and no `PARTYLINK_DATA`, from a directory that holds no data, partylink
/// reads its built-in copies; the manifest says so with their sha256; the outputs are the bytes
/// a run on the same files named with `--data` writes.
#[test]
fn built_in_sources_serve_a_run_from_any_directory() {
    let elsewhere = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    let built_in = elsewhere.path().join("built_in");
    let output = Command::new(env!("CARGO_BIN_EXE_partylink"))
        .args(run_args(sample.to_str().unwrap(), "built_in"))
        .current_dir(elsewhere.path())
        .env_remove("PARTYLINK_DATA")
        .output()
        .unwrap();
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(built_in.join("manifest.json")).unwrap()).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    let dpi = inputs.iter().find(|i| i["role"] == "dpi").unwrap();
    assert_eq!(dpi["path"], "<built-in data>/dpi/DPI2017_basefile_Jan2018.csv");
    assert_eq!(dpi["built_in"], true);
    assert_eq!(dpi["sha256"], "b47e362fc6a2722092c555bfc0343e851303a5faa6629978769f5c31f383323f");
    assert_eq!(inputs.iter().filter(|i| i["built_in"] == true).count(), 6);

    let from_files = elsewhere.path().join("from_files");
    let data = data_dir();
    let mut args = run_args(sample.to_str().unwrap(), from_files.to_str().unwrap());
    args.extend(["--data", data.to_str().unwrap()]);
    let output = partylink_built_in(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(from_files.join("manifest.json")).unwrap()).unwrap();
    let dpi = manifest["inputs"].as_array().unwrap().iter().find(|i| i["role"] == "dpi").unwrap().clone();
    assert_eq!(dpi["sha256"], "b47e362fc6a2722092c555bfc0343e851303a5faa6629978769f5c31f383323f");
    assert!(dpi["path"].as_str().unwrap().ends_with("dpi/DPI2017_basefile_Jan2018.csv"));
    assert!(dpi.get("built_in").is_none());
    assert!(outputs(&built_in) == outputs(&from_files), "built-in and file sources gave different outputs");
}

/// The contacts in reverse order give the same enriched rows (sorted by contact_id and
/// party_seq; source_row says where each stood) and byte-identical tables and accounting.
#[test]
fn another_row_order_gives_the_same_rows_and_tables() {
    let dir = tempdir();
    let sample = std::fs::read_to_string(repo("examples/contacts_sample.csv")).unwrap();
    let mut lines: Vec<&str> = sample.lines().collect();
    lines[1..].reverse();
    let reversed = dir.path().join("reversed.csv");
    std::fs::write(&reversed, lines.join("\n") + "\n").unwrap();
    let (first, second) = (dir.path().join("a"), dir.path().join("b"));
    for (contacts, out) in [(repo("examples/contacts_sample.csv"), &first), (reversed, &second)] {
        let output = partylink_built_in(&run_args(contacts.to_str().unwrap(), out.to_str().unwrap()));
        assert!(output.status.success(), "{}", stderr(&output));
    }
    let sorted_rows = |out: &Path, file: &str, drop: &str| {
        let (headers, mut rows) = read_csv(&out.join(file));
        let skip = headers.iter().position(|h| h == drop);
        for row in &mut rows {
            if let Some(i) = skip {
                row.remove(i);
            }
        }
        rows.sort();
        assert!(rows.len() > 300, "{file} has {} rows", rows.len());
        rows
    };
    assert_eq!(
        sorted_rows(&first, "enriched_contacts.csv", "source_row"),
        sorted_rows(&second, "enriched_contacts.csv", "source_row")
    );
    let tables = |out: &Path| {
        outputs(out)
            .into_iter()
            .filter(|(f, _)| f.starts_with("tables/") || f.starts_with("accounting"))
            .collect::<Vec<_>>()
    };
    let (a, b) = (tables(&first), tables(&second));
    assert_eq!(a.len(), 32);
    for ((name, x), (_, y)) in a.iter().zip(&b) {
        assert!(x == y, "{name} differs between the two row orders");
    }
}

/// Waits until a staging directory appears in `out` (the run is writing), up to a minute.
fn wait_for_staging(out: &Path, child: &mut std::process::Child) {
    let start = Instant::now();
    loop {
        if files_under(out).iter().any(|f| f.starts_with(".partylink-staging-")) {
            return;
        }
        if let Some(status) = child.try_wait().unwrap() {
            panic!("the run ended ({status}) before it staged anything");
        }
        assert!(start.elapsed() < Duration::from_secs(120), "no staging directory appeared");
        std::thread::sleep(Duration::from_millis(5));
    }
}

/// A run killed by SIGTERM or SIGKILL while it writes leaves the previous outputs as they were;
/// the next run removes the killed run's staging directory and finishes; none is left. (SIGINT
/// ends partylink as SIGTERM does; it is not sent here because a test run in the background
/// inherits it ignored.)
#[test]
fn a_killed_run_keeps_the_previous_outputs_and_the_next_run_cleans_up() {
    let dir = tempdir();
    let out = dir.path().join("out");
    let sample = repo("examples/contacts_sample.csv");
    let args = run_args(sample.to_str().unwrap(), out.to_str().unwrap());
    let output = partylink_built_in(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let before = outputs(&out);
    for signal in ["TERM", "KILL"] {
        let mut child = Command::new(env!("CARGO_BIN_EXE_partylink"))
            .args(&args)
            .env_remove("PARTYLINK_DATA")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        wait_for_staging(&out, &mut child);
        let killed = Command::new("kill").args([&format!("-{signal}"), &child.id().to_string()]).status().unwrap();
        assert!(killed.success());
        let status = child.wait().unwrap();
        assert!(!status.success(), "SIG{signal}: the run finished before the signal");
        assert!(outputs(&out) == before, "SIG{signal} changed the previous outputs");
    }
    assert!(files_under(&out).iter().any(|f| f.starts_with(".partylink-staging-")), "no leftover to clean");
    let output = partylink_built_in(&args);
    assert!(output.status.success(), "{}", stderr(&output));
    let left: Vec<String> = files_under(&out).into_iter().filter(|f| f.starts_with('.')).collect();
    assert!(left.is_empty(), "leftovers after the next run: {left:?}");
    assert!(outputs(&out) == before, "the next run wrote other bytes");
}

/// Two runs into one `--out`: while another process holds the output directory's lock (here
/// the test itself, so that the timing is certain), a run stops at once with a clear message
/// and writes nothing.
#[test]
fn a_run_into_a_busy_output_directory_is_refused() {
    let dir = tempdir();
    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    std::fs::write(out.join("enriched_contacts.csv"), "previous run\n").unwrap();
    let lock =
        std::fs::OpenOptions::new().create(true).truncate(true).write(true).open(out.join(".partylink.lock")).unwrap();
    lock.try_lock().unwrap();
    std::fs::write(out.join(".partylink.lock"), format!("{}\n", std::process::id())).unwrap();
    let sample = repo("examples/contacts_sample.csv");
    let second = partylink_built_in(&run_args(sample.to_str().unwrap(), out.to_str().unwrap()));
    assert_eq!(second.status.code(), Some(1));
    let message = stderr(&second);
    let expected = format!("another partylink run (process {}) is writing to {}", std::process::id(), out.display());
    assert!(message.contains(&expected), "{message}");
    assert_eq!(files_under(&out), [".partylink.lock", "enriched_contacts.csv"]);
    drop(lock);
}

/// A tmpfs mounted for one test, unmounted when dropped; None where mounting is not permitted.
struct Mount(std::path::PathBuf);

impl Mount {
    fn tmpfs(at: &Path, options: &str) -> Option<Mount> {
        std::fs::create_dir_all(at).unwrap();
        let mounted = Command::new("mount").args(["-t", "tmpfs", "-o", options, "tmpfs"]).arg(at).output().ok()?;
        mounted.status.success().then(|| Mount(at.to_path_buf()))
    }
}

impl Drop for Mount {
    fn drop(&mut self) {
        Command::new("umount").arg(&self.0).status().ok();
    }
}

/// A full disk (a 64 kB tmpfs) and a read-only file system under `--out`: the run fails with
/// the system's reason and leaves nothing behind. Skipped, saying so, where the tests may not
/// mount a tmpfs.
#[test]
fn a_full_disk_or_a_read_only_output_fails_cleanly() {
    let dir = tempdir();
    let sample = repo("examples/contacts_sample.csv");
    for (options, reason) in [("size=64k", "No space left on device"), ("ro,size=64k", "Read-only file system")] {
        let at = dir.path().join(options.replace([',', '='], "_"));
        let Some(mount) = Mount::tmpfs(&at, options) else {
            eprintln!("skipped: cannot mount a tmpfs here ({options})");
            return;
        };
        let out = at.join("out");
        let output = partylink_built_in(&run_args(sample.to_str().unwrap(), out.to_str().unwrap()));
        assert_eq!(output.status.code(), Some(1), "{options}: {}", stderr(&output));
        assert!(stderr(&output).contains(reason), "{options}: {}", stderr(&output));
        assert!(!stderr(&output).contains("panicked"), "{}", stderr(&output));
        let left: Vec<String> = files_under(&out);
        assert!(left.is_empty(), "{options}: left behind {left:?}");
        drop(mount);
    }
}
