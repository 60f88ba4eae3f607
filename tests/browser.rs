//! report.html in a real browser: headless Chromium opens it, every figure must take up room on
//! the page, no image may be broken, and a screenshot must show the page drawn.
//!
//! Chromium is Debian's `chromium` package (`.ci/run` installs it); `PARTYLINK_CHROMIUM` names
//! another binary. Without it the test fails, unless `PARTYLINK_SKIP_BROWSER=1` says to skip.

mod common;

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::{Duration, Instant};

use common::{partylink_ok, repo, tempdir};
use resvg::tiny_skia::Pixmap;

/// Records, at the end of the page, each figure's drawn size and the images that failed, for
/// `--dump-dom` to print. Added to a copy of the page only: report.html itself has no script.
const PROBE: &str = r#"<script>
(function () {
  var figures = Array.prototype.map.call(document.querySelectorAll('figure[data-figure]'), function (f) {
    var svg = f.querySelector('svg');
    var box = svg ? svg.getBoundingClientRect() : { width: 0, height: 0 };
    return f.getAttribute('data-figure') + ' ' + Math.round(box.width) + ' ' + Math.round(box.height);
  });
  var broken = Array.prototype.filter.call(document.images, function (i) { return !i.complete || i.naturalWidth === 0; });
  var probe = document.createElement('pre');
  probe.id = 'render-check';
  probe.textContent = 'figures=' + figures.join(';') + '\nbroken=' + broken.length;
  document.body.appendChild(probe);
})();
</script>
</body>"#;

fn chromium() -> Option<PathBuf> {
    if let Some(path) = std::env::var_os("PARTYLINK_CHROMIUM") {
        return Some(PathBuf::from(path));
    }
    ["/usr/bin/chromium", "/usr/bin/chromium-browser"].iter().map(PathBuf::from).find(|p| p.is_file())
}

/// Runs Chromium headless on `page` with `extra` flags, in a fresh profile; returns stdout.
/// Its output goes to files: a page's DOM would fill a pipe that nobody reads while we wait.
fn headless(chromium: &Path, page: &Path, extra: &[String]) -> String {
    let profile = tempdir();
    let (stdout, stderr) = (profile.path().join("stdout"), profile.path().join("stderr"));
    let mut child = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(extra)
        .arg(format!("file://{}", page.display()))
        .stdout(Stdio::from(std::fs::File::create(&stdout).unwrap()))
        .stderr(Stdio::from(std::fs::File::create(&stderr).unwrap()))
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {}: {e}", chromium.display()));
    let deadline = Instant::now() + Duration::from_secs(180);
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        if Instant::now() > deadline {
            child.kill().ok();
            panic!("{} did not finish within three minutes", chromium.display());
        }
        std::thread::sleep(Duration::from_millis(100));
    };
    let read = |path: &Path| String::from_utf8_lossy(&std::fs::read(path).unwrap_or_default()).into_owned();
    assert!(status.success(), "chromium failed: {}", read(&stderr));
    read(&stdout)
}

#[test]
fn every_figure_renders_in_headless_chromium() {
    let Some(chromium) = chromium() else {
        if std::env::var("PARTYLINK_SKIP_BROWSER").is_ok_and(|v| v == "1") {
            eprintln!("browser test skipped: no chromium (PARTYLINK_SKIP_BROWSER=1)");
            return;
        }
        panic!(
            "the browser test needs Chromium: install Debian's chromium package (`apt-get install chromium`; .ci/run \
             does), name a binary with PARTYLINK_CHROMIUM, or set PARTYLINK_SKIP_BROWSER=1 to skip it"
        );
    };
    let dir = tempdir();
    let out = dir.path().join("out");
    partylink_ok(&[
        "run",
        "--quiet",
        "--contacts",
        repo("examples/contacts_sample.csv").to_str().unwrap(),
        "--news",
        repo("examples/news_sample.jsonl").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let page = std::fs::read_to_string(out.join("report.html")).unwrap();
    assert!(!page.contains("<script"), "report.html has no script");
    let probed = out.join("report_probe.html");
    std::fs::write(&probed, page.replacen("</body>", PROBE, 1)).unwrap();

    let dom = headless(&chromium, &probed, &["--dump-dom".into(), "--window-size=1280,1024".into()]);
    let report =
        dom.split("<pre id=\"render-check\">").nth(1).and_then(|r| r.split("</pre>").next()).unwrap_or_else(|| {
            panic!("the probe did not run; the DOM Chromium printed begins: {}", &dom[..dom.len().min(400)])
        });
    let figures: Vec<(String, f64, f64)> = report
        .lines()
        .find_map(|l| l.strip_prefix("figures="))
        .unwrap()
        .split(';')
        .map(|f| {
            let parts: Vec<&str> = f.split(' ').collect();
            (parts[0].to_string(), parts[1].parse().unwrap(), parts[2].parse().unwrap())
        })
        .collect();
    assert_eq!(figures.len(), 9, "figures 1 to 8 and Table 1: {figures:?}");
    for (figure, width, height) in &figures {
        assert!(*width > 500.0 && *height > 150.0, "{figure} drawn at {width} x {height}");
    }
    assert!(report.contains("broken=0"), "{report}");

    let shot = dir.path().join("screenshot.png");
    headless(
        &chromium,
        &out.join("report.html"),
        &[format!("--screenshot={}", shot.display()), "--window-size=1280,2600".into()],
    );
    let pixmap = Pixmap::load_png(&shot).unwrap();
    assert_eq!((pixmap.width(), pixmap.height()), (1280, 2600));
    let pixels = pixmap.pixels();
    let ink = pixels.iter().filter(|p| p.red() < 200 || p.green() < 200 || p.blue() < 200).count();
    let blue = pixels.iter().filter(|p| p.blue() > 120 && u16::from(p.blue()) > u16::from(p.red()) + 60).count();
    assert!(ink > pixels.len() / 50, "the screenshot is nearly blank: {ink} of {} pixels", pixels.len());
    assert!(blue > 5000, "the screenshot shows no figure: {blue} blue pixels");
}
