-- sort=name_asc (the admin's stock page lists products A-Z)
CREATE INDEX products_name_sort_idx ON products (lower(name), id);
