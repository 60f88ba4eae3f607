//! Where the source files are: a data directory laid out like the official downloads, or each
//! file named on its own. A missing file is reported with the page to download it from.

use std::path::{Path, PathBuf};

use anyhow::Result;

/// One source file partylink needs, where it is expected, and where to get it.
pub struct SourceFile {
    pub what: &'static str,
    pub flag: &'static str,
    pub default_path: &'static str,
    pub download: &'static str,
}

pub const FH: SourceFile = SourceFile {
    what: "Freedom House ratings and statuses workbook",
    flag: "--fh",
    default_path: "fh/Country_and_Territory_Ratings_and_Statuses_FIW_1973-2024.xlsx",
    download: "https://freedomhouse.org/report/freedom-world (\"Country and Territory Ratings and Statuses, FIW 1973-2024\")",
};
pub const DPI: SourceFile = SourceFile {
    what: "Database of Political Institutions 2017",
    flag: "--dpi",
    default_path: "dpi/DPI2017_basefile_Jan2018.csv",
    download: "https://publications.iadb.org/en/database-political-institutions-2017-dpi2017",
};
pub const PF_CORE: SourceFile = SourceFile {
    what: "Party Facts core parties",
    flag: "--partyfacts-core",
    default_path: "partyfacts/partyfacts-core-parties.csv",
    download: "https://partyfacts.herokuapp.com/download/ (core parties, CSV)",
};
pub const PF_EXTERNAL: SourceFile = SourceFile {
    what: "Party Facts external parties",
    flag: "--partyfacts-external",
    default_path: "partyfacts/partyfacts-external-parties.csv",
    download: "https://partyfacts.herokuapp.com/download/ (external parties, CSV)",
};
pub const PF_DPI: SourceFile = SourceFile {
    what: "Party Facts' DPI import",
    flag: "--partyfacts-dpi",
    default_path: "partyfacts/partyfacts-import-dpi.csv",
    download: "https://github.com/hdigital/partyfactsdata (file import/dpi/dpi.csv)",
};

/// The resolved paths of every source.
#[derive(Debug, Clone)]
pub struct SourcePaths {
    pub fh: PathBuf,
    pub dpi: PathBuf,
    pub partyfacts_core: PathBuf,
    pub partyfacts_external: PathBuf,
    pub partyfacts_dpi: PathBuf,
}

impl SourcePaths {
    /// Each source with the role the manifest gives it.
    pub fn roles(&self) -> [(&'static str, &Path); 5] {
        [
            ("fh", &self.fh),
            ("dpi", &self.dpi),
            ("partyfacts_core", &self.partyfacts_core),
            ("partyfacts_external", &self.partyfacts_external),
            ("partyfacts_dpi", &self.partyfacts_dpi),
        ]
    }

    /// Each source from its own flag when given, else from its place under `data`. Fails,
    /// naming every missing file and its download page, unless all exist.
    pub fn locate(
        data: &Path,
        fh: Option<PathBuf>,
        dpi: Option<PathBuf>,
        core: Option<PathBuf>,
        external: Option<PathBuf>,
        pf_dpi: Option<PathBuf>,
    ) -> Result<SourcePaths> {
        let mut missing = Vec::new();
        let mut pick = |given: Option<PathBuf>, source: &SourceFile| {
            let path = given.unwrap_or_else(|| data.join(source.default_path));
            if !path.is_file() {
                missing.push(format!(
                    "  {} not found: {}\n    (set {} or --data; download: {})",
                    source.what,
                    path.display(),
                    source.flag,
                    source.download
                ));
            }
            path
        };
        let paths = SourcePaths {
            fh: pick(fh, &FH),
            dpi: pick(dpi, &DPI),
            partyfacts_core: pick(core, &PF_CORE),
            partyfacts_external: pick(external, &PF_EXTERNAL),
            partyfacts_dpi: pick(pf_dpi, &PF_DPI),
        };
        if !missing.is_empty() {
            anyhow::bail!(
                "{} source file(s) missing (the data directory is {}; set --data or PARTYLINK_DATA):\n{}",
                missing.len(),
                data.display(),
                missing.join("\n")
            );
        }
        Ok(paths)
    }
}
