//! Reading NumPy `.npz` archives: a zip file (its central directory read
//! here, entries stored or deflated, inflated with `flate2`) of `.npy`
//! arrays (a small header giving the dtype and shape, then the raw data).

use std::collections::HashMap;
use std::io::Read;

/// Zip signatures.
const END_OF_CENTRAL_DIRECTORY: u32 = 0x0605_4b50;
const CENTRAL_FILE_HEADER: u32 = 0x0201_4b50;
const LOCAL_FILE_HEADER: u32 = 0x0403_4b50;
/// The fixed part of an end-of-central-directory record.
const EOCD_LEN: usize = 22;
/// The longest zip comment, which may follow that record.
const MAX_COMMENT: usize = 0xFFFF;
/// Compression methods.
const STORED: u16 = 0;
const DEFLATED: u16 = 8;
/// The `.npy` magic string.
const NPY_MAGIC: &[u8] = b"\x93NUMPY";

/// One array: its element type, shape and little-endian data.
#[derive(Clone, Debug)]
pub struct Array {
    /// NumPy's type string, e.g. `<f4`, `|u1`.
    pub dtype: String,
    /// The dimensions (empty for a scalar).
    pub shape: Vec<usize>,
    /// The raw data, C order.
    pub data: Vec<u8>,
}

impl Array {
    /// The number of elements.
    pub fn len(&self) -> usize {
        self.shape.iter().product()
    }

    /// Whether it holds no element.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The data as `f32`, converting from `<f4` or `<f8`.
    pub fn to_f32(&self) -> Result<Vec<f32>, String> {
        match self.dtype.as_str() {
            "<f4" => Ok(self
                .data
                .chunks_exact(4)
                .map(|b| f32::from_le_bytes([b[0], b[1], b[2], b[3]]))
                .collect()),
            "<f8" => Ok(self
                .data
                .chunks_exact(8)
                .map(|b| {
                    let mut a = [0u8; 8];
                    a.copy_from_slice(b);
                    f64::from_le_bytes(a) as f32
                })
                .collect()),
            other => Err(format!("expected float data, found dtype {other}")),
        }
    }
}

fn u16_at(b: &[u8], at: usize) -> Result<u16, String> {
    b.get(at..at + 2)
        .map(|s| u16::from_le_bytes([s[0], s[1]]))
        .ok_or_else(|| "truncated zip record".to_string())
}

fn u32_at(b: &[u8], at: usize) -> Result<u32, String> {
    b.get(at..at + 4)
        .map(|s| u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
        .ok_or_else(|| "truncated zip record".to_string())
}

/// Reads every `.npy` member of an `.npz` archive held in `bytes`, by name
/// without the `.npy` suffix.
pub fn read(bytes: &[u8]) -> Result<HashMap<String, Array>, String> {
    if bytes.len() < EOCD_LEN {
        return Err("too short to be a zip archive".into());
    }
    let lowest = bytes.len().saturating_sub(EOCD_LEN + MAX_COMMENT);
    let eocd = (lowest..=bytes.len() - EOCD_LEN)
        .rev()
        .find(|&i| u32_at(bytes, i).is_ok_and(|s| s == END_OF_CENTRAL_DIRECTORY))
        .ok_or("no zip end-of-central-directory record")?;
    let entries = u16_at(bytes, eocd + 10)? as usize;
    let mut at = u32_at(bytes, eocd + 16)? as usize;
    let mut out = HashMap::new();
    for _ in 0..entries {
        if u32_at(bytes, at)? != CENTRAL_FILE_HEADER {
            return Err("damaged zip central directory".into());
        }
        let method = u16_at(bytes, at + 10)?;
        let packed = u32_at(bytes, at + 20)? as usize;
        let size = u32_at(bytes, at + 24)? as usize;
        let name_len = u16_at(bytes, at + 28)? as usize;
        let extra_len = u16_at(bytes, at + 30)? as usize;
        let comment_len = u16_at(bytes, at + 32)? as usize;
        let local = u32_at(bytes, at + 42)? as usize;
        let name = bytes
            .get(at + 46..at + 46 + name_len)
            .ok_or("truncated zip entry name")?;
        let name = String::from_utf8_lossy(name).to_string();
        at += 46 + name_len + extra_len + comment_len;

        if u32_at(bytes, local)? != LOCAL_FILE_HEADER {
            return Err(format!("{name}: damaged zip local header"));
        }
        let start =
            local + 30 + u16_at(bytes, local + 26)? as usize + u16_at(bytes, local + 28)? as usize;
        let raw = bytes
            .get(start..start + packed)
            .ok_or_else(|| format!("{name}: truncated zip data"))?;
        let data = match method {
            STORED => raw.to_vec(),
            DEFLATED => {
                let mut data = Vec::with_capacity(size);
                flate2::read::DeflateDecoder::new(raw)
                    .read_to_end(&mut data)
                    .map_err(|e| format!("{name}: {e}"))?;
                data
            }
            other => return Err(format!("{name}: unsupported zip compression {other}")),
        };
        if data.len() != size {
            return Err(format!("{name}: inflated to the wrong size"));
        }
        let key = name.strip_suffix(".npy").unwrap_or(&name).to_string();
        let array = parse_npy(&data).map_err(|e| format!("{name}: {e}"))?;
        out.insert(key, array);
    }
    Ok(out)
}

/// Parses one `.npy` file.
pub fn parse_npy(data: &[u8]) -> Result<Array, String> {
    if !data.starts_with(NPY_MAGIC) || data.len() < 10 {
        return Err("not a .npy array".into());
    }
    let major = data[6];
    let (header_len, header_at) = match major {
        1 => (u16_at(data, 8)? as usize, 10),
        2 | 3 => (u32_at(data, 8)? as usize, 12),
        v => return Err(format!("unsupported .npy version {v}")),
    };
    let header = data
        .get(header_at..header_at + header_len)
        .ok_or("truncated .npy header")?;
    let header = String::from_utf8_lossy(header);
    let field = |key: &str| -> Result<String, String> {
        let at = header
            .find(&format!("'{key}'"))
            .ok_or_else(|| format!(".npy header has no {key}"))?;
        let rest = header[at + key.len() + 2..].trim_start();
        let rest = rest.strip_prefix(':').unwrap_or(rest).trim_start();
        Ok(rest.to_string())
    };
    let descr = field("descr")?;
    let dtype = descr
        .strip_prefix('\'')
        .and_then(|d| d.split('\'').next())
        .ok_or("bad .npy descr")?
        .to_string();
    if field("fortran_order")?.starts_with("True") {
        return Err("Fortran-order arrays are not supported".into());
    }
    let shape_text = field("shape")?;
    let inner = shape_text
        .strip_prefix('(')
        .and_then(|s| s.split(')').next())
        .ok_or("bad .npy shape")?;
    let shape = inner
        .split(',')
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(|s| {
            s.parse::<usize>()
                .map_err(|e| format!("bad .npy shape: {e}"))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let item = match dtype.as_str() {
        "|u1" | "|i1" | "<u1" | "<i1" => 1,
        "<f4" | "<i4" | "<u4" => 4,
        "<f8" | "<i8" | "<u8" => 8,
        other => return Err(format!("unsupported dtype {other}")),
    };
    let body = &data[header_at + header_len..];
    let want = shape.iter().product::<usize>() * item;
    if body.len() < want {
        return Err(format!(
            "data holds {} bytes, shape needs {want}",
            body.len()
        ));
    }
    Ok(Array {
        dtype,
        shape,
        data: body[..want].to_vec(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_an_npy_header() {
        let header = "{'descr': '<f4', 'fortran_order': False, 'shape': (2, 1), }";
        let mut data = NPY_MAGIC.to_vec();
        data.extend([1, 0]);
        data.extend((header.len() as u16).to_le_bytes());
        data.extend(header.as_bytes());
        data.extend(1.5f32.to_le_bytes());
        data.extend((-2.0f32).to_le_bytes());
        let a = parse_npy(&data).unwrap();
        assert_eq!(a.shape, vec![2, 1]);
        assert_eq!(a.to_f32().unwrap(), vec![1.5, -2.0]);
    }

    #[test]
    fn rejects_garbage() {
        assert!(read(b"not a zip at all, not at all, not at all").is_err());
        assert!(read(b"").is_err());
        assert!(parse_npy(b"\x93NUMPY\x01\x00\xff\xff").is_err());
    }
}
