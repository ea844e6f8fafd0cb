//! report.html as a browser shows it: the sample round's report is opened in headless Chromium,
//! which must find the report's sections and a chart in the page it builds, and draw a
//! screenshot. Without /usr/bin/chromium the test says so and passes (.ci/run installs it).

use std::path::Path;
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

const CHROMIUM: &str = "/usr/bin/chromium";

/// Run `cmd`, killing it if it takes longer than `limit` (a browser that hangs fails the test
/// rather than the whole suite).
fn run_with_limit(cmd: &mut Command, limit: Duration) -> Output {
    let mut child = cmd
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start chromium");
    let start = Instant::now();
    // Drain stdout on a thread: the DOM of a large report would fill the pipe.
    let mut stdout = child.stdout.take().expect("stdout");
    let reader = std::thread::spawn(move || {
        let mut buf = Vec::new();
        std::io::Read::read_to_end(&mut stdout, &mut buf).map(|_| buf)
    });
    loop {
        if child.try_wait().expect("wait for chromium").is_some() {
            break;
        }
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("chromium ran longer than {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(100));
    }
    let mut out = child.wait_with_output().expect("chromium output");
    out.stdout = reader
        .join()
        .expect("reader thread")
        .expect("read chromium stdout");
    out
}

fn chromium(profile: &Path) -> Command {
    let mut c = Command::new(CHROMIUM);
    c.args([
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
    ])
    .arg(format!("--user-data-dir={}", profile.display()));
    c
}

#[test]
fn the_sample_report_renders_in_chromium() {
    if !Path::new(CHROMIUM).is_file() {
        eprintln!(
            "note: {CHROMIUM} not found; report.html not rendered (apt-get install chromium)"
        );
        return;
    }
    let tmp = tempfile::tempdir().expect("tempdir");
    let out = tmp.path().join("out");
    let round = Path::new(env!("CARGO_MANIFEST_DIR")).join("raw/sample-2016");
    let run = Command::new(env!("CARGO_BIN_EXE_foi"))
        .arg("run")
        .arg(&round)
        .arg("--out")
        .arg(&out)
        .arg("-q")
        .current_dir(tmp.path())
        .output()
        .expect("run foi");
    assert_eq!(
        run.status.code(),
        Some(0),
        "foi run: {}",
        String::from_utf8_lossy(&run.stderr)
    );
    let html = out.join("report.html");
    let url = format!("file://{}", html.display());

    let dom = run_with_limit(
        chromium(&tmp.path().join("profile-dom"))
            .arg("--dump-dom")
            .arg(&url),
        Duration::from_secs(120),
    );
    let dom_text = String::from_utf8_lossy(&dom.stdout);
    assert!(
        dom.status.success(),
        "chromium --dump-dom failed: {}",
        String::from_utf8_lossy(&dom.stderr)
    );
    for heading in [
        "<h1>Specialist palliative care commissioning FOI: sample round, 2016</h1>",
        "<h2 id=\"replies\">Replies</h2>",
        "<h2 id=\"yesno\">Yes/no questions</h2>",
        "<h2 id=\"per-patient\">Budget per patient</h2>",
        "<h2 id=\"claims\">Published claims</h2>",
        "<h2 id=\"matrix\">Every body and question</h2>",
        "<h2 id=\"evidence\">Evidence</h2>",
    ] {
        assert!(
            dom_text.contains(heading),
            "the DOM lacks {heading:?}:\n{}",
            &dom_text[..dom_text.len().min(2000)]
        );
    }
    assert!(dom_text.contains("<svg"), "the DOM has no chart");
    // The funnel of replies as the browser reads it: 209 bodies surveyed.
    assert!(
        dom_text.contains("data-key=\"bodies.contacted\">209<"),
        "surveyed count"
    );
    // Headline numbers of the sample round as the browser shows them.
    assert!(
        dom_text.contains("data-key=\"replies.full\">4<"),
        "full replies"
    );
    assert!(
        dom_text.contains("data-key=\"pain_team.percent\">50.0%<"),
        "pain team share"
    );
    assert!(
        dom_text.contains("data-key=\"palliative.per_patient.n\">3<"),
        "per-patient n"
    );
    // The claims check finds the sample's misprint.
    assert!(
        dom_text.contains("nearest is 1/2 = 50.0% (a possible misprint)"),
        "claims check"
    );

    let png = tmp.path().join("report.png");
    let shot = run_with_limit(
        chromium(&tmp.path().join("profile-shot"))
            .arg("--window-size=1200,2000")
            .arg(format!("--screenshot={}", png.display()))
            .arg(&url),
        Duration::from_secs(120),
    );
    assert!(
        shot.status.success(),
        "chromium --screenshot failed: {}",
        String::from_utf8_lossy(&shot.stderr)
    );
    let bytes = std::fs::read(&png).expect("screenshot written");
    assert!(bytes.len() > 1000, "screenshot is {} bytes", bytes.len());
    assert_eq!(&bytes[..8], b"\x89PNG\r\n\x1a\n", "screenshot is a PNG");
}
