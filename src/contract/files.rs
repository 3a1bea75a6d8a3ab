//! Writing reports to the file system: [`Report::write_csv`](crate::report::Report::write_csv)
//! and, for people who open them, [`Report::write_files`](crate::report::Report::write_files).

use std::path::Path;

use crate::report::{Report, ReportError};

fn io(path: &Path, source: std::io::Error) -> ReportError {
    ReportError::Io {
        path: path.display().to_string(),
        source,
    }
}

impl Report {
    /// Writes [`Report::to_csv`]'s tables into a folder (created if needed).
    ///
    /// # Errors
    ///
    /// [`ReportError::Io`] if the folder or a file cannot be written,
    /// [`ReportError::Csv`] if a table cannot be built.
    pub fn write_csv(&self, dir: impl AsRef<Path>) -> Result<Vec<String>, ReportError> {
        self.write_tables(dir.as_ref(), |t| t.to_owned())
    }

    /// Writes every table of [`Report::to_csv`] into `dir` (created if needed), each
    /// file's text made by `text` from the table's.
    fn write_tables(
        &self,
        dir: &Path,
        text: impl Fn(&str) -> String,
    ) -> Result<Vec<String>, ReportError> {
        std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
        let mut written = Vec::new();
        for t in self.to_csv()? {
            let path = dir.join(t.name);
            std::fs::write(&path, text(&t.content)).map_err(|e| io(&path, e))?;
            written.push(path.display().to_string());
        }
        Ok(written)
    }

    /// Writes the report as files a person opens, into a folder (created if needed):
    /// every table of [`Report::to_csv`] as its own CSV file for Excel (UTF-8 with a
    /// byte order mark, so that Vietnamese names show as written) and `report.xlsx`
    /// with one sheet per table ([`Report::to_xlsx`], sheet names in `lang`).
    ///
    /// # Errors
    ///
    /// [`ReportError::Io`] if the folder or a file cannot be written,
    /// [`ReportError::Csv`] or [`ReportError::Workbook`] if a table cannot be built.
    #[cfg(feature = "xlsx")]
    pub fn write_files(
        &self,
        dir: impl AsRef<Path>,
        lang: crate::model::Lang,
    ) -> Result<Vec<String>, ReportError> {
        let dir = dir.as_ref();
        let mut written = self.write_tables(dir, crate::model::with_bom)?;
        let path = dir.join("report.xlsx");
        std::fs::write(&path, self.to_xlsx(lang)?).map_err(|e| io(&path, e))?;
        written.push(path.display().to_string());
        Ok(written)
    }
}
