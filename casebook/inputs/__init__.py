"""Reading the collection: settings, profiles, cases, editorial pages, each checked where it is read."""
