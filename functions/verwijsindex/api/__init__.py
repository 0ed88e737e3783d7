"""HTTP glue shared by the REST Lambdas: identity, problem responses, resolver set-up."""
