//! The command line: `kiku` plays; `kiku check`, `replay`, ... are the
//! facilitator's tools. `run` returns the process exit code.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, Parser, Subcommand};

use crate::load::{self, Loaded};
use crate::replay;
use crate::text::Lang;

/// Kiku (聴く): practise 1on1 conversations. With no subcommand, opens the game.
#[derive(Debug, Parser)]
#[command(name = "kiku", version, about, long_about = None)]
pub struct Cli {
    #[command(subcommand)]
    command: Option<Command>,
    #[command(flatten)]
    game: GameArgs,
}

/// Options of the game (used when no subcommand is given).
#[derive(Debug, Clone, Default, Args)]
pub struct GameArgs {
    /// Facilitator preview: show each choice's act and the member's hidden state.
    #[arg(long)]
    pub preview: bool,
    /// Interface language: ja or en (default: the saved setting, else the system locale).
    #[arg(long, value_parser = parse_lang)]
    pub lang: Option<Lang>,
    /// Walk through every screen in both languages, save one PNG per screen
    /// and language into DIR, and exit.
    #[arg(long, value_name = "DIR")]
    pub screenshots: Option<PathBuf>,
    /// Folder of scenarios to play (default: the bundled scenarios/).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
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
    /// Run the workshop leaderboard server (projector page at `/`).
    Serve(ServeArgs),
}

/// Options of `kiku serve`.
#[derive(Debug, Clone, Args)]
pub struct ServeArgs {
    /// Address to listen on (use 0.0.0.0:PORT to let trainees on the LAN join).
    #[arg(long, default_value = "0.0.0.0:8787")]
    pub bind: String,
    /// The SQLite database file (default: workshop.db in the data folder).
    #[arg(long)]
    pub db: Option<PathBuf>,
    /// Folder of scenarios the server re-scores with (default: the bundled scenarios/).
    #[arg(long, value_name = "DIR")]
    pub scenarios: Option<PathBuf>,
    /// The workshop code trainees type to join (3-12 letters or digits,
    /// e.g. TOKYO1); kept for later runs. Default: the saved code, else a
    /// fresh random one.
    #[arg(long)]
    pub code: Option<String>,
    /// Submissions per trainee: BURST/PER_MINUTE (e.g. 30/30) or `off`
    /// (default: the KIKU_RATE_LIMIT environment variable, else 30/30).
    #[arg(long, value_name = "BURST/PER_MINUTE")]
    pub rate_limit: Option<String>,
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
        None => play(&cli.game),
        Some(Command::Check { paths, json }) => check(&paths, json),
        Some(Command::Replay(args)) => replay_cmd(&args),
        Some(Command::Analyse {
            scenario,
            seed,
            json,
        }) => analyse_cmd(&scenario, seed, json),
        Some(Command::Graph { scenario, lang }) => match load_one(&scenario) {
            Ok(s) => {
                emit(&crate::graph::dot(&s, lang));
                ExitCode::SUCCESS
            }
            Err(code) => code,
        },
        Some(Command::Serve(args)) => crate::board::serve::run(&args),
    }
}

#[cfg(feature = "gui")]
fn play(args: &GameArgs) -> ExitCode {
    crate::game::run(args)
}

#[cfg(not(feature = "gui"))]
fn play(_args: &GameArgs) -> ExitCode {
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
    let loaded: Vec<Loaded> = files.iter().map(|f| load::load_file(f)).collect();
    let errors: usize = loaded
        .iter()
        .flat_map(|l| &l.diagnostics)
        .filter(|d| d.severity == crate::Severity::Error)
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
pub fn load_one(path: &std::path::Path) -> Result<std::sync::Arc<crate::Scenario>, ExitCode> {
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
    let analysis = crate::analyse::analyse(&scenario, seed);
    if json {
        emit(&format!(
            "{}\n",
            serde_json::to_string_pretty(&analysis).unwrap_or_default()
        ));
    } else {
        emit(&crate::analyse::render_text(&analysis, &scenario));
    }
    ExitCode::SUCCESS
}

/// Writes to stdout; a closed pipe (`kiku replay ... | head`) is not an error.
fn emit(text: &str) {
    use std::io::Write as _;
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes()).and_then(|()| out.flush());
}
