//! The command line: `kiku` plays; `kiku check`, `replay`, ... are the
//! facilitator's tools. `run` returns the process exit code.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use kiku_board::serve::ServeArgs;
use kiku_core::load::{self, Loaded};
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
    /// Check scenario files (default: the bundled scenarios/) and report every error.
    Check {
        /// Files or folders.
        paths: Vec<PathBuf>,
        /// Print the diagnostics as JSON.
        #[arg(long)]
        json: bool,
    },
    /// Play a list of choices and print the transcript and the score.
    Replay(ReplayArgs),
    /// Walk every path of a scenario: best and worst score, distribution, endings, dead ends.
    Analyse {
        /// The scenario file.
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
        /// The scenario file.
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
    /// Run the workshop leaderboard server (projector page at `/`).
    Serve(ServeArgs),
    /// Recall mode: which available choice a typed reply meant, and its act (`--eval DIR` scores a corpus).
    Hear(HearArgs),
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
    /// The scenario file.
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
        Some(Command::Check { paths, json }) => check(&paths, json),
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
        Some(Command::Hear(args)) => hear_cmd(&args),
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
    let choices: Vec<String> = args
        .choices
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
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
    let heard = kiku_hear::hear(&scenario, &session, text, args.lang);
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
    let paths = if paths.is_empty() {
        vec![load::bundled_dir()]
    } else {
        paths.to_vec()
    };
    let files = load::discover(&paths);
    if files.is_empty() {
        eprintln!(
            "error: no .ron scenario files found in {}",
            show_paths(&paths)
        );
        return ExitCode::FAILURE;
    }
    let mut loaded: Vec<Loaded> = files.iter().map(|f| load::load_file(f)).collect();
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

/// Loads one scenario for a tool, printing its diagnostics on failure.
pub fn load_one(path: &std::path::Path) -> Result<std::sync::Arc<kiku_core::Scenario>, ExitCode> {
    let loaded = load::load_file(path);
    match &loaded.scenario {
        Some(scenario) => Ok(scenario.clone()),
        None => {
            eprintln!("{}", loaded.render());
            Err(ExitCode::FAILURE)
        }
    }
}

fn replay_cmd(args: &ReplayArgs) -> ExitCode {
    let scenario = match load_one(&args.scenario) {
        Ok(s) => s,
        Err(code) => return code,
    };
    let choices: Vec<String> = args
        .choices
        .iter()
        .map(|c| c.trim().to_string())
        .filter(|c| !c.is_empty())
        .collect();
    match replay::replay(&scenario, args.seed, &choices) {
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

/// Writes to stdout; a closed pipe (`kiku replay ... | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
