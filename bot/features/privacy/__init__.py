"""A person's rights over their data: /mydata, /forget, retention."""
