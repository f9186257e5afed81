//! Organisation mode end to end with the real binary: `kiku workshop new`,
//! `list` and `show`, `kiku serve --all` serving every workshop of one database
//! (one made while it runs too), the game's client against it, and the
//! pages under `/w/CODE/` in headless Chromium (the code asked at `/`, the
//! projector live under the prefix, the control page's API calls).

use super::*;

/// `kiku workshop ARGS…`: its stdout (the command must succeed).
fn workshop(args: &[&str], db: &Path) -> String {
    let out = Command::new(env!("CARGO_BIN_EXE_kiku"))
        .arg("workshop")
        .args(args)
        .arg("--db")
        .arg(db)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout).into_owned();
    assert!(
        out.status.success(),
        "kiku workshop {args:?}: {stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    stdout
}

/// The value after `label` in `kiku workshop new`'s output.
fn printed(text: &str, label: &str) -> String {
    text.lines()
        .find_map(|line| line.trim().strip_prefix(label))
        .unwrap_or_else(|| panic!("no `{label}` in:\n{text}"))
        .trim()
        .to_string()
}

#[test]
fn an_organisation_serves_every_workshop_from_one_process() {
    let dir = temp_dir("org-all");
    std::fs::write(dir.join("s.ron"), SCENARIO_RON).unwrap();
    let db = dir.join("org.db");
    let tokyo = workshop(&["new", "--code", "tokyo1"], &db);
    assert_eq!(printed(&tokyo, "workshop code:"), "TOKYO1");
    let token = printed(&tokyo, "facilitator token:");
    assert_eq!(printed(&tokyo, "projector page:"), "/w/TOKYO1/");
    let osaka = workshop(&["new", "--code", "OSAKA2", "--mode", "recall"], &db);
    assert_ne!(printed(&osaka, "facilitator token:"), token);
    // A code the database has is refused.
    let again = Command::new(env!("CARGO_BIN_EXE_kiku"))
        .args(["workshop", "new", "--code", "TOKYO1", "--db"])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!again.status.success());
    assert!(String::from_utf8_lossy(&again.stderr).contains("exists already"));
    // No writer to store submissions with: refused before serving.
    let no_writer = Command::new(env!("CARGO_BIN_EXE_kiku"))
        .args([
            "serve",
            "--all",
            "--writers",
            "0",
            "--bind",
            "127.0.0.1:0",
            "--db",
        ])
        .arg(&db)
        .output()
        .unwrap();
    assert!(!no_writer.status.success());
    assert!(
        String::from_utf8_lossy(&no_writer.stderr).contains("--writers: give 1 or more"),
        "{}",
        String::from_utf8_lossy(&no_writer.stderr)
    );

    let server = spawn_server_with(&db, &dir, &["--all"]);
    assert!(server.said.contains("every workshop"), "{}", server.said);
    let addr = server.addr.to_string();
    let client = Client::new(&addr).unwrap();
    client.join("tokyo1", "Hana").unwrap();
    let mut sub = submission("Hana", &BEST);
    sub.code = "TOKYO1".into();
    client.submit(&sub).unwrap();
    assert_eq!(
        client.workshop("OSAKA2").unwrap().mode,
        Some(kiku_core::Mode::Recall)
    );
    match client.workshop("NAGOYA3") {
        Err(SendError::Rejected { kind, .. }) => assert_eq!(kind, "wrong_code"),
        other => panic!("an unknown code was served: {other:?}"),
    }
    // Made while the server runs: served within a second or so.
    workshop(&["new", "--code", "NAGOYA3"], &db);
    wait_for(|| client.workshop("NAGOYA3").ok());
    let list = workshop(&["list"], &db);
    for code in ["TOKYO1", "OSAKA2", "NAGOYA3"] {
        assert!(list.contains(code), "{list}");
    }
    assert!(!list.contains(&token), "{list}");
    // A facilitator who lost the token reads it again.
    let shown = workshop(&["show", "--code", "tokyo1"], &db);
    assert_eq!(printed(&shown, "facilitator token:"), token);
    assert_eq!(printed(&shown, "reply mode:"), "any");
    let tokyo_row = list.lines().find(|l| l.starts_with("TOKYO1")).unwrap();
    assert_eq!(
        tokyo_row.split_whitespace().take(3).collect::<Vec<_>>(),
        ["TOKYO1", "1", "1"],
        "{list}"
    );

    if !Path::new(CHROMEDRIVER).exists() || !Path::new(CHROMIUM).exists() {
        assert!(
            std::env::var_os("CI").is_none(),
            "CI must have chromium and chromium-driver (.ci/test installs them)"
        );
        eprintln!("skipped: install chromium and chromium-driver to run the browser test");
        return;
    }
    let profile = temp_dir("org-chromium-profile");
    let driver = Driver::start(&profile);
    let base = format!("http://{addr}");
    // `/` asks for the code: an unknown one is said so, a known one opens
    // its projector page.
    driver.call("POST", "/url", Some(&json!({"url": format!("{base}/")})));
    driver.script(
        "document.getElementById('code').value = 'kyoto9';
         document.getElementById('ask').requestSubmit(); return 1",
    );
    wait_for(|| {
        let said = driver.script("return document.getElementById('message').textContent");
        said.as_str()
            .filter(|t| t.contains("no workshop has this code"))
            .map(|_| ())
    });
    driver.script(
        "document.getElementById('code').value = 'tokyo1';
         document.getElementById('ask').requestSubmit(); return 1",
    );
    wait_for(|| {
        let text = driver.script("return document.getElementById('overall').textContent");
        text.as_str().filter(|t| t.contains("Hana")).map(|_| ())
    });
    assert_eq!(
        driver.script("return location.pathname"),
        json!("/w/TOKYO1/")
    );
    assert_eq!(
        driver.script("return document.getElementById('code').textContent"),
        "TOKYO1"
    );
    // Live under the prefix: a new entry arrives without a reload.
    driver.script("window.__kikuNoReload = 1; return 1");
    client.join("TOKYO1", "Kenji").unwrap();
    let mut sub = submission("Kenji", &BEST);
    sub.code = "TOKYO1".into();
    client.submit(&sub).unwrap();
    wait_for(|| {
        let text = driver.script("return document.getElementById('overall').textContent");
        text.as_str().filter(|t| t.contains("Kenji")).map(|_| ())
    });
    assert_eq!(driver.script("return window.__kikuNoReload === 1"), true);
    assert_eq!(
        driver.script("return document.getElementById('status').className"),
        "live"
    );
    // The control page under the prefix reaches its own workshop's API.
    let control = format!("{base}/w/TOKYO1/control#token={token}");
    driver.call("POST", "/url", Some(&json!({"url": control})));
    wait_for(|| {
        let players = driver.script("return document.getElementById('players').textContent");
        players
            .as_str()
            .filter(|t| t.contains("Hana") && t.contains("Kenji"))
            .map(|_| ())
    });
    drop(driver);
    drop(server);
    let _ = std::fs::remove_dir_all(profile);
    let _ = std::fs::remove_dir_all(dir);
}
