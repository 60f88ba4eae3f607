//! The statements of `partylink sql`: from a prompt or a script, with the DuckDB CLI's dot
//! commands (`.help`, `.tables`, `.schema`, `.quit`) and its rules for scripts (the first
//! failing statement ends the script with an error; the last statement needs no `;`).

use std::io::BufRead;
use std::path::PathBuf;

use anyhow::Result;
use datafusion::execution::context::SessionContext;

use crate::cmd::to_stdout;
use crate::enrich;
use crate::report::Format;

const HELP: &str = "\
Statements are DataFusion SQL, ended with ';'.
.help           this text
.tables         the run's tables
.schema [TABLE] the columns of every table, or of TABLE
.quit, .exit, quit, exit
                leave
";

/// A session over a run's tables and how results are printed.
pub struct Shell<'a> {
    pub ctx: &'a SessionContext,
    pub tables: &'a [String],
    pub format: Format,
}

/// What a line did to the statement being gathered.
enum Step {
    /// The line was a command or part of a statement; go on.
    More,
    /// A complete statement to run.
    Run(String),
    /// `.schema [TABLE]`.
    Schema(Option<String>),
    Quit,
}

impl Shell<'_> {
    /// Runs one statement and prints its result. An error names the statement's trouble once;
    /// an unknown table comes with the list of tables.
    pub async fn execute(&self, statement: &str) -> Result<()> {
        let batch = match enrich::query(self.ctx, statement).await {
            Ok(batch) => batch,
            // DataFusion's error repeats its context in its causes: its own text says it all.
            Err(e) => {
                let message = e.to_string();
                if message.contains("not found") && message.contains("table") {
                    anyhow::bail!("{message}; the tables are {}", self.tables.join(", "));
                }
                anyhow::bail!("{message}");
            }
        };
        let mut text = Vec::new();
        self.format.print(&mut text, &batch)?;
        to_stdout(&text)
    }

    /// Reads statements from a script: the first failing statement (or command) ends it with
    /// its error (naming its line with `name_lines`); a last statement without ';' runs at the
    /// end of the input.
    pub async fn script(&mut self, input: impl BufRead, name_lines: bool) -> Result<()> {
        let mut statement = String::new();
        for (number, line) in input.lines().enumerate() {
            let line = line?;
            match self.step(&mut statement, &line)? {
                Step::More => {}
                Step::Run(sql) => self
                    .execute(&sql)
                    .await
                    .map_err(|e| if name_lines { e.context(format!("line {}", number + 1)) } else { e })?,
                Step::Schema(table) => self.schema(table.as_deref()).await?,
                Step::Quit => return Ok(()),
            }
        }
        match statement.trim() {
            "" => Ok(()),
            last => self.execute(last.trim_end_matches(';')).await,
        }
    }

    /// The interactive prompt: an error is printed and the prompt goes on.
    pub async fn prompt(&mut self) -> Result<()> {
        let mut editor = rustyline::DefaultEditor::new()?;
        let history = std::env::var_os("HOME").map(|home| PathBuf::from(home).join(".partylink_history"));
        if let Some(path) = &history {
            editor.load_history(path).ok();
        }
        eprintln!(
            "partylink sql: {} tables ({}); end a statement with ';', .help for help, .quit to leave",
            self.tables.len(),
            self.tables.join(", ")
        );
        let mut statement = String::new();
        loop {
            let prompt = if statement.is_empty() { "partylink> " } else { "      ...> " };
            let line = match editor.readline(prompt) {
                Ok(line) => line,
                Err(rustyline::error::ReadlineError::Interrupted) => {
                    statement.clear();
                    continue;
                }
                Err(rustyline::error::ReadlineError::Eof) => break,
                Err(e) => return Err(e.into()),
            };
            let step = self.step(&mut statement, &line);
            if let Ok(Step::Run(sql)) = &step {
                editor.add_history_entry(sql.as_str())?;
            }
            let done = match step {
                Ok(Step::More) => Ok(()),
                Ok(Step::Run(sql)) => self.execute(&sql).await,
                Ok(Step::Schema(table)) => self.schema(table.as_deref()).await,
                Ok(Step::Quit) => break,
                Err(e) => Err(e),
            };
            if let Err(e) = done {
                if is_broken_pipe(&e) {
                    return Err(e);
                }
                eprintln!("error: {e:#}");
            }
        }
        if let Some(path) = &history {
            editor.save_history(path).ok();
        }
        Ok(())
    }

    /// Takes one line: a command between statements, or part of a statement, complete when it
    /// ends with ';'.
    fn step(&self, statement: &mut String, line: &str) -> Result<Step> {
        let trimmed = line.trim();
        if statement.is_empty() {
            let command = trimmed.trim_end_matches(';').trim();
            match command {
                "" => return Ok(Step::More),
                ".quit" | ".exit" | "quit" | "exit" => return Ok(Step::Quit),
                ".help" => return to_stdout(HELP.as_bytes()).map(|_| Step::More),
                ".tables" => return to_stdout((self.tables.join("\n") + "\n").as_bytes()).map(|_| Step::More),
                _ => {}
            }
            if let Some(rest) = command.strip_prefix('.') {
                let mut words = rest.split_whitespace();
                return match (words.next(), words.next()) {
                    (Some("schema"), table) => Ok(Step::Schema(table.map(str::to_string))),
                    _ => anyhow::bail!("unknown command {trimmed:?}; .help lists the commands"),
                };
            }
        }
        statement.push_str(line);
        statement.push('\n');
        if !trimmed.ends_with(';') {
            return Ok(Step::More);
        }
        let sql = std::mem::take(statement);
        Ok(Step::Run(sql.trim().trim_end_matches(';').to_string()))
    }

    /// `.schema [TABLE]`: `table(column type, ...)`, a line per table.
    async fn schema(&self, table: Option<&str>) -> Result<()> {
        let chosen: Vec<&String> = match table {
            Some(name) if self.tables.iter().any(|t| t == name) => self.tables.iter().filter(|t| *t == name).collect(),
            Some(name) => anyhow::bail!("no table {name:?}; the tables are {}", self.tables.join(", ")),
            None => self.tables.iter().collect(),
        };
        let mut text = String::new();
        for name in chosen {
            let frame = self.ctx.table(name.as_str()).await?;
            let columns: Vec<String> =
                frame.schema().fields().iter().map(|f| format!("{} {}", f.name(), f.data_type())).collect();
            text.push_str(&format!("{name}({})\n", columns.join(", ")));
        }
        to_stdout(text.as_bytes())
    }
}

/// Whether an error is a closed standard output, which ends the prompt too.
fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain().any(|c| c.downcast_ref::<std::io::Error>().is_some_and(|io| io.kind() == std::io::ErrorKind::BrokenPipe))
}
