//! The command line: `kiku` plays; `kiku check`, `replay`, ... are the
//! facilitator's tools. `run` returns the process exit code.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use kiku_board::serve::ServeArgs;
use kiku_core::load::{self, Loaded, library};
use kiku_core::text::Lang;
use kiku_core::tools::{analyse, calibrate, continuity, graph, replay};

/// Kiku (聴く): practise 1on1 conversations. With no subcommand, opens the game.
#[derive(Debug, Parser)]
#[command(name = "kiku", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[cfg(feature = "gui")]
    #[command(flatten)]
    game: kiku_game::GameArgs,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Check scenario files and report every error. With no path: the scenario
    /// folders found (scenarios/ beside the executable, KIKU_SCENARIOS), else
    /// the bundled scenarios embedded in kiku.
    Check {
        /// Files or folders.
        paths: Vec<PathBuf>,
        /// A scenario folder, as the game's `--scenarios` (checked with the paths).
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
        /// Print the diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Play a list of choices and print the transcript and the score.
    Replay(ReplayArgs),
    /// Walk every path of a scenario: best and worst score, distribution, endings, dead ends.
    Analyse {
        /// The scenario file, or the id of a scenario kiku plays (e.g. first_steps).
        scenario: PathBuf,
        /// The seed to play the paths with.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Print the JSON format (kiku.analyse/1).
        #[arg(long)]
        json: bool,
    },
    /// Write the conversation graph as Graphviz DOT (`| dot -Tsvg > graph.svg`).
    Graph {
        /// The scenario file, or the id of a scenario kiku plays (e.g. first_steps).
        scenario: PathBuf,
        /// Language of the text excerpts: ja or en.
        #[arg(long, value_parser = parse_lang, default_value = "ja")]
        lang: Lang,
    },
    /// Compare the engine's scores with blind expert hand scores (tests/judged); exit 1 when a threshold fails.
    Calibrate {
        /// The calibration folder (paths/, transcripts/, judges/).
        dir: Option<PathBuf>,
        /// Print the JSON format (kiku.calibrate/1).
        #[arg(long)]
        json: bool,
        /// Write the blind transcript of every path that has none yet (for judging), then stop.
        #[arg(long)]
        write_transcripts: bool,
    },
    /// Run the workshop leaderboard server (projector page at `/`; with
    /// `--all`, every workshop of the database under `/w/CODE/`).
    Serve(ServeArgs),
    /// The workshops an organisation's server (`kiku serve --all`) serves: make one, list them.
    Workshop {
        #[command(subcommand)]
        action: kiku_board::org::WorkshopCommand,
    },
    /// The scenarios kiku plays: list them, or export the bundled ones to start your own.
    Scenarios {
        #[command(subcommand)]
        action: ScenariosAction,
    },
    /// Recall mode: which available choice a typed reply meant, and its act (`--eval DIR` scores a corpus).
    Hear(HearArgs),
}

#[derive(Debug, Subcommand)]
enum ScenariosAction {
    /// List every scenario kiku plays (bundled and from folders) and where it comes from.
    List {
        /// A scenario folder, as the game's `--scenarios`.
        #[arg(long, value_name = "DIR")]
        scenarios: Option<PathBuf>,
    },
    /// Write the bundled scenarios, the authoring guide (README.md) and the
    /// facilitator's guide (1on1-guide.md) into DIR.
    Export {
        /// The folder (made if missing).
        dir: PathBuf,
        /// Overwrite files that exist.
        #[arg(long)]
        force: bool,
    },
}

#[derive(Debug, Args)]
struct HearArgs {
    /// The scenario file (not with --eval).
    #[arg(required_unless_present = "eval")]
    scenario: Option<PathBuf>,
    /// The choices already played, comma-separated, in order.
    #[arg(long, value_delimiter = ',', default_value = "")]
    choices: Vec<String>,
    /// The typed reply.
    #[arg(long, required_unless_present = "eval")]
    text: Option<String>,
    /// The interface language: ja or en (the reply is read in the script it is written in).
    #[arg(long, value_parser = parse_lang, default_value = "ja")]
    lang: Lang,
    /// The seed the prefix is played with.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the JSON format (kiku.hear/1).
    #[arg(long)]
    json: bool,
    /// Evaluate every DIR/*.json entry: accuracy per language, act confusion.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["scenario", "text"])]
    eval: Option<PathBuf>,
    /// With --eval: list the misses.
    #[arg(long, requires = "eval")]
    verbose: bool,
}

#[derive(Debug, Args)]
struct ReplayArgs {
    /// The scenario file, or the id of a scenario kiku plays (e.g. first_steps).
    scenario: PathBuf,
    /// Choice ids, comma-separated, in order.
    #[arg(long, value_delimiter = ',', default_value = "")]
    choices: Vec<String>,
    /// The seed (same seed, same member).
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Print the stable JSON format (kiku.replay/1).
    #[arg(long)]
    json: bool,
    /// Language of the text output: ja or en.
    #[arg(long, value_parser = parse_lang, default_value = "ja")]
    lang: Lang,
    /// For a follow-up: the earlier 1on1, as a finished record (JSON written
    /// by the game or `kiku replay --json`) or as SCENARIO:ID,ID,... (played
    /// with --after-seed). Without it a follow-up plays under its default prior.
    #[arg(long, value_name = "RECORD.json|SCENARIO:IDS")]
    after: Option<String>,
    /// The seed of the earlier 1on1 given as SCENARIO:IDS.
    #[arg(long, default_value_t = 1, requires = "after")]
    after_seed: u64,
}

/// The prior `--after` names for `follow_up`, or a message.
fn after_prior(
    follow_up: &kiku_core::Scenario,
    after: &str,
    after_seed: u64,
) -> Result<kiku_core::play::prior::Prior, String> {
    use kiku_core::play::prior::Prior;
    let Some(follows) = follow_up.follows.clone() else {
        return Err(format!(
            "`{}` is not a follow-up (it has no `follows`), so --after does not apply",
            follow_up.id
        ));
    };
    let file = std::path::Path::new(after);
    let (scenario, seed, choices, prior) = if file.is_file() {
        let text = std::fs::read_to_string(file).map_err(|e| format!("{after}: {e}"))?;
        let record = kiku_core::tools::series::EarlierRecord::parse(&text)
            .map_err(|e| format!("{after}: {e}"))?;
        (record.scenario, record.seed, record.choices, record.prior)
    } else if let Some((scenario, ids)) = after.split_once(':') {
        (
            scenario.to_string(),
            after_seed,
            choice_ids(&ids.split(',').map(str::to_string).collect::<Vec<_>>()),
            None,
        )
    } else {
        return Err(format!(
            "--after `{after}`: neither a record file nor SCENARIO:ID,ID,... (e.g. {follows}:op_reflect,ns_complex)"
        ));
    };
    let earlier = match follow_up.earlier() {
        Some(e) if e.id == scenario => e,
        _ => load_one(std::path::Path::new(&scenario))
            .map_err(|_| format!("the earlier scenario `{scenario}` does not load"))?,
    };
    if earlier.id != follows {
        return Err(format!(
            "--after is a 1on1 of `{}`, but `{}` follows `{follows}`",
            earlier.id, follow_up.id
        ));
    }
    Prior::from_choices(&earlier, seed, &choices, prior).map_err(|e| format!("--after: {e}"))
}

fn parse_lang(s: &str) -> Result<Lang, String> {
    Lang::from_code(s).ok_or_else(|| format!("unknown language `{s}`: use ja or en"))
}

/// Parses `args` and runs the command.
pub fn run(args: impl IntoIterator<Item = OsString>) -> ExitCode {
    let cli = match Cli::try_parse_from(args) {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(2)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        #[cfg(feature = "gui")]
        None => kiku_game::run(&cli.game),
        #[cfg(not(feature = "gui"))]
        None => no_game(),
        Some(Command::Check {
            mut paths,
            scenarios,
            json,
        }) => {
            paths.extend(scenarios);
            check(&paths, json)
        }
        Some(Command::Replay(args)) => replay_cmd(&args),
        Some(Command::Analyse {
            scenario,
            seed,
            json,
        }) => analyse_cmd(&scenario, seed, json),
        Some(Command::Graph { scenario, lang }) => match load_one(&scenario) {
            Ok(s) => {
                emit(&graph::dot(&s, lang));
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Some(Command::Calibrate {
            dir,
            json,
            write_transcripts,
        }) => calibrate_cmd(dir, json, write_transcripts),
        Some(Command::Serve(args)) => kiku_board::serve::run(&args),
        Some(Command::Workshop { action }) => kiku_board::org::run(&action),
        Some(Command::Hear(args)) => hear_cmd(&args),
        Some(Command::Scenarios { action }) => match action {
            ScenariosAction::List { scenarios } => list_cmd(scenarios.as_deref()),
            ScenariosAction::Export { dir, force } => export_cmd(&dir, force),
        },
    }
}

fn list_cmd(option: Option<&std::path::Path>) -> ExitCode {
    let folders = library::folders(option);
    let all = library::library(&library::paths(&folders));
    let mut out = String::new();
    for l in &all {
        let line = match &l.scenario {
            Some(s) => format!("{:<24} {}  [{}]\n", s.id, s.title.ja, l.origin.label()),
            None => format!(
                "{:<24} (has errors: `kiku check`)  [{}]\n",
                "?",
                l.origin.label()
            ),
        };
        out.push_str(&line);
    }
    emit(&out);
    eprintln!("{} scenario(s); {}", all.len(), describe_folders(&folders));
    ExitCode::SUCCESS
}

fn describe_folders(folders: &[library::Folder]) -> String {
    if folders.is_empty() {
        "no scenario folder on disk (scenarios/ beside the executable, KIKU_SCENARIOS, --scenarios), bundled only".into()
    } else {
        let names: Vec<String> = folders.iter().map(library::Folder::describe).collect();
        format!("bundled, then {}", names.join(", then "))
    }
}

fn export_cmd(dir: &std::path::Path, force: bool) -> ExitCode {
    match library::export(dir, force) {
        Ok(written) => {
            eprintln!(
                "wrote {} file(s) in {}: the bundled scenarios, README.md (how to write a scenario) and 1on1-guide.md",
                written.len(),
                dir.display()
            );
            eprintln!(
                "check them with `kiku check {}`; play them with `kiku --scenarios {}`",
                dir.display(),
                dir.display()
            );
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}

fn hear_cmd(args: &HearArgs) -> ExitCode {
    if let Some(dir) = &args.eval {
        let report = kiku_hear::eval::evaluate(dir);
        emit(&kiku_hear::eval::render(&report, args.verbose));
        return ExitCode::SUCCESS;
    }
    let (Some(path), Some(text)) = (&args.scenario, &args.text) else {
        eprintln!("error: give a scenario and --text (or --eval DIR)");
        return ExitCode::from(2);
    };
    let scenario = match load_one(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let choices = choice_ids(&args.choices);
    let session = match kiku_core::Session::replay(&scenario, args.seed, &choices) {
        Ok(s) => s,
        Err((index, e)) => {
            eprintln!("error: choice {} (`{}`): {e}", index + 1, choices[index]);
            return ExitCode::FAILURE;
        }
    };
    if session.is_over() {
        eprintln!("error: the conversation is over after those choices");
        return ExitCode::FAILURE;
    }
    let hearer = kiku_hear::Hearer::new(&scenario);
    if let (Some(notice), Some(detail)) = (hearer.notice(args.lang), hearer.notice_detail()) {
        eprintln!("{notice} ({detail})");
    }
    let heard = hearer.hear(&session, text, args.lang);
    if args.json {
        emit(&format!("{}\n", kiku_hear::to_json(&heard)));
    } else {
        emit(&kiku_hear::render_text(&heard, &scenario, args.lang));
    }
    ExitCode::SUCCESS
}

fn calibrate_cmd(dir: Option<PathBuf>, json: bool, write_transcripts: bool) -> ExitCode {
    let dir = dir.unwrap_or_else(calibrate::default_dir);
    if write_transcripts {
        return match write_blind_transcripts(&dir) {
            Ok(written) => {
                eprintln!(
                    "wrote {written} transcript(s) in {}",
                    dir.join("transcripts").display()
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("error: {e}");
                ExitCode::from(2)
            }
        };
    }
    match calibrate::calibrate(&dir) {
        Ok(c) => {
            if json {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&c).unwrap_or_default()
                ));
            } else {
                emit(&calibrate::render_text(&c));
            }
            if c.failures.is_empty() {
                ExitCode::SUCCESS
            } else {
                ExitCode::FAILURE
            }
        }
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::from(2)
        }
    }
}

/// Writes the blind transcript of every path without one; never overwrites
/// a transcript (it is what a judge read).
fn write_blind_transcripts(dir: &std::path::Path) -> Result<usize, calibrate::CalibrateError> {
    let paths = calibrate::read_paths(dir)?;
    let folder = dir.join("transcripts");
    std::fs::create_dir_all(&folder).map_err(|e| calibrate::CalibrateError::Set(e.to_string()))?;
    let mut cache = std::collections::BTreeMap::new();
    let mut written = 0;
    for path in &paths {
        let file = folder.join(format!("{}.txt", path.id));
        if file.exists() {
            continue;
        }
        let session = calibrate::replay_path(dir, path, &mut cache)?;
        std::fs::write(&file, calibrate::blind_transcript(&session))
            .map_err(|e| calibrate::CalibrateError::Set(format!("{}: {e}", file.display())))?;
        written += 1;
    }
    Ok(written)
}

#[cfg(not(feature = "gui"))]
fn no_game() -> ExitCode {
    eprintln!("kiku was built without the game (feature `gui`); try `kiku --help` for the tools");
    ExitCode::FAILURE
}

fn check(paths: &[PathBuf], json: bool) -> ExitCode {
    // Where the "checking ..." line goes: not into the JSON.
    let say = |text: String| {
        if json {
            eprintln!("{text}");
        } else {
            emit(&format!("{text}\n"));
        }
    };
    let mut loaded: Vec<Loaded> = if paths.is_empty() {
        let folders = library::folders(None);
        let files = load::discover(&library::paths(&folders));
        if files.is_empty() {
            let bundled = library::bundled();
            let none = if folders.is_empty() {
                "no scenario folder found (scenarios/ beside the executable, KIKU_SCENARIOS)"
                    .to_string()
            } else {
                let names: Vec<String> = folders.iter().map(library::Folder::describe).collect();
                format!("no .ron files in {}", names.join(", "))
            };
            say(format!(
                "{none}; checking the {} bundled scenarios embedded in kiku",
                bundled.len()
            ));
            bundled
        } else {
            let names: Vec<String> = folders.iter().map(library::Folder::describe).collect();
            say(format!("checking {}", names.join(", ")));
            files.iter().map(|f| load::load_file(f)).collect()
        }
    } else {
        let files = load::discover(paths);
        if files.is_empty() {
            eprintln!(
                "error: no .ron scenario files found in {}",
                show_paths(paths)
            );
            return ExitCode::FAILURE;
        }
        files.iter().map(|f| load::load_file(f)).collect()
    };
    if loaded.is_empty() {
        eprintln!("error: no scenario to check");
        return ExitCode::FAILURE;
    }
    // Series: `follows` and motif names resolve across the files checked
    // (and the bundled scenarios).
    load::series::link(&mut loaded);
    // Continuity over the routes `analyse` walks (seed 1): warnings only.
    for l in &mut loaded {
        if let Some(scenario) = l.scenario.clone() {
            let report = continuity::check(&scenario, 1);
            let file = l.path.display().to_string();
            l.diagnostics.extend(continuity::diagnostics(
                &report, &scenario, &file, &l.source,
            ));
        }
    }
    let errors: usize = loaded
        .iter()
        .flat_map(|l| &l.diagnostics)
        .filter(|d| d.severity == kiku_core::Severity::Error)
        .count();
    let warnings = loaded.iter().map(|l| l.diagnostics.len()).sum::<usize>() - errors;
    if json {
        let all: Vec<_> = loaded.iter().flat_map(|l| &l.diagnostics).collect();
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&all).unwrap_or_default()
        ));
    } else {
        for l in &loaded {
            if !l.diagnostics.is_empty() {
                emit(&format!("{}\n", l.render()));
            }
        }
        let ok = loaded.iter().filter(|l| !l.has_errors()).count();
        emit(&format!(
            "checked {} file(s): {ok} ok, {errors} error(s), {warnings} warning(s)\n",
            loaded.len()
        ));
    }
    if errors > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

fn show_paths(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Loads one scenario for a tool, printing its diagnostics on failure. A
/// name that is not a file is looked up among the scenarios kiku plays
/// (bundled and folders) by id or file name: `kiku replay first_steps`.
pub fn load_one(path: &std::path::Path) -> Result<std::sync::Arc<kiku_core::Scenario>, ExitCode> {
    let named = (!path.exists())
        .then(|| path.to_str())
        .flatten()
        .and_then(|name| {
            let all = library::library(&library::paths(&library::folders(None)));
            library::find(&all, name).cloned()
        });
    let loaded = named.unwrap_or_else(|| load::load_file(path));
    match &loaded.scenario {
        Some(scenario) => Ok(scenario.clone()),
        None => {
            eprintln!("{}", loaded.render());
            Err(ExitCode::FAILURE)
        }
    }
}

/// The choice ids of a `--choices a,b,c` list, trimmed, empty ones dropped.
fn choice_ids(given: &[String]) -> Vec<String> {
    given
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect()
}

fn replay_cmd(args: &ReplayArgs) -> ExitCode {
    let scenario = match load_one(&args.scenario) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let choices = choice_ids(&args.choices);
    let prior = match &args.after {
        None => None,
        Some(after) => match after_prior(&scenario, after, args.after_seed) {
            Ok(prior) => Some(prior),
            Err(message) => {
                eprintln!("error: {message}");
                return ExitCode::FAILURE;
            }
        },
    };
    match replay::replay_after(&scenario, args.seed, prior, &choices) {
        Ok(report) => {
            if args.json {
                emit(&format!(
                    "{}\n",
                    serde_json::to_string_pretty(&report).unwrap_or_default()
                ));
            } else {
                emit(&replay::render_text(&report, args.lang));
            }
            ExitCode::SUCCESS
        }
        Err((index, e)) => {
            eprintln!("error: choice {} (`{}`): {e}", index + 1, choices[index]);
            ExitCode::FAILURE
        }
    }
}

fn analyse_cmd(path: &std::path::Path, seed: u64, json: bool) -> ExitCode {
    let scenario = match load_one(path) {
        Ok(s) => s,
        Err(code) => return code,
    };
    if scenario.follows.is_some() {
        return analyse_series_cmd(&scenario, seed, json);
    }
    let analysis = analyse::analyse(&scenario, seed);
    if json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&analysis).unwrap_or_default()
        ));
    } else {
        emit(&analyse::render_text(&analysis, &scenario));
    }
    ExitCode::SUCCESS
}

/// `kiku analyse` of a follow-up: once per prior (the default, each named
/// prior, and the priors real replays of the earlier scenario leave).
fn analyse_series_cmd(
    scenario: &std::sync::Arc<kiku_core::Scenario>,
    seed: u64,
    json: bool,
) -> ExitCode {
    let each = kiku_core::tools::series::analyse_each(scenario, seed);
    if json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&each).unwrap_or_default()
        ));
        return ExitCode::SUCCESS;
    }
    let mut out = format!(
        "`{}` follows `{}`: analysed under {} prior(s)\n",
        scenario.id,
        scenario.follows.as_deref().unwrap_or_default(),
        each.len()
    );
    for a in &each {
        out.push_str(&format!(
            "\n=== prior `{}`: {}\n    {}\n    start: trust {} / openness {} / clarity {}\n",
            a.prior.id,
            a.prior.title.en,
            kiku_core::tools::series::describe(&a.prior.prior, Lang::En),
            a.start.trust,
            a.start.openness,
            a.start.clarity
        ));
        let played = kiku_core::tools::series::under(scenario, &a.prior.prior);
        out.push_str(&analyse::render_text(&a.analysis, &played));
    }
    emit(&out);
    ExitCode::SUCCESS
}

/// Writes to stdout; a closed pipe (`kiku replay ... | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
