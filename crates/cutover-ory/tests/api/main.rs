//! Tests of the Kratos client against a scripted server on loopback.

mod batch;
mod logs;
mod models;
mod reads;
mod server;
mod writes;
