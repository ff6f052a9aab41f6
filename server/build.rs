// The migrations are embedded by `sqlx::migrate!`; without this a new migration file is not
// built in until some source file of the crate changes (sqlx's documented remedy).
fn main() {
    println!("cargo:rerun-if-changed=migrations");
}
