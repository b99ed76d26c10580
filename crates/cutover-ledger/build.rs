fn main() {
    // New migration files must trigger a rebuild: sqlx embeds them at compile time.
    println!("cargo:rerun-if-changed=../../migrations");
}
